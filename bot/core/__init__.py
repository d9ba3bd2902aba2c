"""The answering core: question in, cited Answer out; knows nothing of its faces."""
