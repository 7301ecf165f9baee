"""Which column holds the text: the one named, else ``text``, else an obvious one (:data:`OBVIOUS`)."""
from __future__ import annotations

import difflib

# columns that hold the post in files from scrapers and exported spreadsheets, in order of preference
OBVIOUS = ("text", "teks", "isi", "konten", "postingan", "caption", "status", "tweet", "full_text", "message")


def obvious_column(columns: list[str]) -> str | None:
    """The first of :data:`OBVIOUS` among ``columns`` (case and surrounding spaces ignored), or None."""
    by_name: dict[str, str] = {}
    for c in columns:
        by_name.setdefault(str(c).strip().lower(), c)
    return next((by_name[n] for n in OBVIOUS if n in by_name), None)


def nearest_column(wanted: str, columns: list[str]) -> str | None:
    """The column most like ``wanted`` (case first, then spelling), or None when none is close."""
    for c in columns:
        if str(c).strip().lower() == wanted.strip().lower():
            return c
    lowered = {str(c).lower(): c for c in columns}
    close = difflib.get_close_matches(wanted.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None
