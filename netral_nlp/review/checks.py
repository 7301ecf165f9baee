"""What the review importers share: spans checked against the text, and the problems of a task
(skipped, conflicting, malformed) collected so that none is silently dropped."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..labels import CATEGORIES


@dataclass
class Problem:
    """A task that did not become a training example, and why."""

    task: str  # the tool's task id (or the line number)
    key: str | None  # the row key of the scored file, when the task carries it
    kind: str  # skipped | conflict | invalid | missing
    detail: str

    def to_dict(self) -> dict:
        return {"task": self.task, "key": self.key, "kind": self.kind, "detail": self.detail}


@dataclass
class ImportResult:
    """Reviewed examples (training JSONL records) and the tasks that did not make it."""

    examples: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {"examples": len(self.examples)}
        for p in self.problems:
            out[p.kind] = out.get(p.kind, 0) + 1
        return out


class SpanError(ValueError):
    """A reviewed span that does not fit its text."""


def utf16_to_index(text: str, units: int) -> int | None:
    """The code-point index of a UTF-16 offset (JavaScript string positions), or None."""
    pos = 0
    for i, ch in enumerate(text):
        if pos == units:
            return i
        pos += 2 if ord(ch) > 0xFFFF else 1
        if pos > units:
            return None
    return len(text) if pos == units else None


def checked_span(text: str, start, end, category, quoted: str | None) -> dict:
    """``{start, end, category}`` in code points of ``text``; raises :class:`SpanError`.

    ``quoted`` (the span's text as the tool saw it) must equal ``text[start:end]``. Offsets counted
    in UTF-16 units, as a browser counts them (emoji take two), are converted when that makes the
    quoted text match; anything else is an error, never a silent shift.
    """
    if category not in CATEGORIES:
        raise SpanError(f"unknown span category {category!r}")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise SpanError(f"span offsets {start!r}, {end!r} are not integers")
    candidates = [(start, end)]
    a16, b16 = utf16_to_index(text, start), utf16_to_index(text, end)
    if a16 is not None and b16 is not None and (a16, b16) != (start, end):
        candidates.append((a16, b16))
    for a, b in candidates:
        if 0 <= a < b <= len(text) and (quoted is None or text[a:b] == quoted):
            return {"start": a, "end": b, "category": category}
    if not 0 <= start < end <= len(text):
        raise SpanError(f"span [{start}, {end}) is outside the text (length {len(text)})")
    raise SpanError(f"span [{start}, {end}) is {text[start:end]!r} in the text but {quoted!r} in the tool")

