"""The faces: the `newsbot` CLI and the Discord bot, callers of the public API."""
