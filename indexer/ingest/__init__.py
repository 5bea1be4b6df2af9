"""Turning folders into catalog rows and vectors: scan, plan, decode, embed, write, watch."""
