"""Corpus mode: near-duplicates, online event clustering, stories, and the SQLite store."""
