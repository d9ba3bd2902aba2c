"""The write path: files -> articles -> chunks -> embeddings -> Chroma."""
