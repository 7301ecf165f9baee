"""Rendering: ``html`` (escaping, palette, span highlighting, excerpts), ``display`` (predictions
in a notebook), ``report`` (the self-contained HTML report of a scoring run)."""
