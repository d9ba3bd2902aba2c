"""Answer quality: the bundled question sets, the scoring and its report."""
