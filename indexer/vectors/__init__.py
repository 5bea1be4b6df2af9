"""Vector stores: the delta and snapshot types, the FAISS and Milvus stores, the spaces that
pair a model with a store, and the registry that publishes them (docs/concurrency.md)."""
