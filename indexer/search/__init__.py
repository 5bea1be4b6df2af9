"""Answering a query: parse it, search the spaces, calibrate and merge the scores, group the
moments, rerank, and describe the answer (cards, previews, evaluation)."""
