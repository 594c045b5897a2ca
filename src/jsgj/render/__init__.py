"""Renderers: rich tables, Markdown, HTML, CSV, JSON, xlsx. Pure functions of their input."""
