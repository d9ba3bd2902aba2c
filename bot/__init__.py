"""The read path: questions -> retrieved passages -> cited answers, and its two faces."""
