"""Per-story analysis: alignment of sentences into claims, copies and independence."""
