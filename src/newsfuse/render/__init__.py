"""Renderers: records in, text out (JSON, Markdown, HTML). No analysis happens here."""
