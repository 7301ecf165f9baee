"""Text with an offset map: :class:`NormalizedText` and the builder every pass writes through."""
from __future__ import annotations

import bisect


class NormalizedText:
    """A normalized string and, for each of its characters, the original range it came from.

    ``starts[i]``/``ends[i]``: the original characters ``original[starts[i]:ends[i]]`` produced
    normalized character ``i``. Inserted characters (spaces from camel-case splitting) have
    ``starts[i] == ends[i]``. Both lists are non-decreasing.
    """

    __slots__ = ("original", "text", "starts", "ends")

    def __init__(self, original: str, text: str, starts: list[int], ends: list[int]):
        self.original = original
        self.text = text
        self.starts = starts
        self.ends = ends

    def __len__(self) -> int:
        return len(self.text)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized half-open range to the original text's half-open range."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], max(self.ends[end - 1], self.starts[start])

    def to_normalized(self, start: int, end: int) -> tuple[int, int]:
        """Map an original half-open range to the smallest normalized range covering it."""
        i0 = bisect.bisect_right(self.ends, start)  # first char whose source ends after `start`
        i1 = bisect.bisect_left(self.starts, end)  # first char whose source starts at/after `end`
        return (i0, max(i0, i1))


class _Builder:
    """Accumulates output text with, per character, its range in the ORIGINAL text."""

    __slots__ = ("parts", "starts", "ends")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, s: str, start: int, end: int) -> None:
        """Each char of ``s`` comes from original range [start, end)."""
        if not s:
            return
        self.parts.append(s)
        self.starts.extend([start] * len(s))
        self.ends.extend([end] * len(s))

    def copy(self, s: str, S: list[int], E: list[int], a: int, z: int) -> None:
        """Copy stage characters ``s[a:z]`` with their ranges."""
        if z > a:
            self.parts.append(s[a:z])
            self.starts += S[a:z]
            self.ends += E[a:z]

    def insert(self, s: str, at: int) -> None:
        """Characters with no source (a space between split words), placed at original ``at``."""
        start = max(at, self.starts[-1]) if self.starts else at
        end = max(start, self.ends[-1]) if self.ends else start
        self.add(s, start, end)

    def text(self) -> str:
        return "".join(self.parts)


def _identity(text: str) -> tuple[str, list[int], list[int]]:
    n = len(text)
    return text, list(range(n)), list(range(1, n + 1))


def _compose(S0: list[int], E0: list[int], S: list[int], E: list[int], n: int) -> tuple[list[int], list[int]]:
    """Ranges in the original text of a pass run on an earlier pass's output: ``S0``/``E0`` map the
    earlier output (of ``len(S0)`` characters) into the original (``n`` characters), ``S``/``E``
    the later output into the earlier output."""
    starts, ends = [], []
    for a, z in zip(S, E):
        if z > a:
            starts.append(S0[a])
            ends.append(E0[z - 1])
        else:  # a character with no source: where the earlier output's character ``a`` starts
            pos = S0[a] if a < len(S0) else n
            starts.append(pos)
            ends.append(max(pos, E0[a - 1]) if a > 0 else pos)
    return starts, ends


Stage = tuple[str, list[int], list[int]]  # text, starts, ends (ranges in the original)
