"""Seeded obfuscations: text rewritten the way people write around keyword filters (issue 10).

Each kind is a function ``kind(text, rng, rate=1.0) -> (new_text, edits)``; ``edits`` are the
non-overlapping ``(start, end, replacement)`` edits on ``text`` that produce ``new_text``. Every
edit stays inside one word, one number, one punctuation run or one gap between two words, so
:func:`obfuscate_example` can move gold spans with the text (through the span-preserving
``apply_edits`` of the training augmentation; an edit that would cross a span boundary is
skipped there).

``rate`` is the share of eligible words (numbers, punctuation runs, gaps) a kind rewrites: 1.0,
the default, rewrites all of them (what the evasion benchmark measures), lower rates mix clean
and obfuscated words. Hashtags, mentions and URLs are left alone except by ``random_case``
(hashtags and mentions) and the character-level kinds ``strike``, ``underline``,
``zero_width`` (words only).

=============== =====================================================================
kind            what it does
=============== =====================================================================
leet            letters to look-alike digits/symbols inside words: ``c0bl0s n0m0r``
spaced          letters of a word separated by spaces, words by two: ``p i l i h  n o``
dotted          letters separated by one of ``. - _``: ``c.o.b.l.o.s``
split           one or two of ``. - _`` inside words of 4+ letters: ``pi.lih no-mor``, ``co_bl_os``
split_space     one or two spaces inside words of 4+ letters: ``pi lih no mor``, ``kam pa nye``
random_case     random upper/lower case per letter: ``CoBlOs``
dot_joined      words joined by dots instead of spaces: ``coblos.nomor.2``
strike          combining long stroke (U+0336) after every character of a word
underline       combining low line (U+0332) after every character of a word
keycap          each digit as a keycap emoji: ``2️⃣``
circled         numbers as circled/parenthesised/dingbat digits: ``②``, ``⑵``, ``❷``
homoglyph       Latin letters to Cyrillic/Greek look-alikes: ``сoblos``
zero_width      zero-width characters (U+200B/C/D, U+2060, U+FEFF, soft hyphen) inside words
fullwidth       letters and digits as fullwidth forms: ``ｃｏｂｌｏｓ``
repeat_punct    ``!`` and ``?`` repeated: ``!!!!``
=============== =====================================================================
"""
from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from .data import Example, GoldSpan, apply_edits

Edit = tuple[int, int, str]

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+")
_TAG = re.compile(r"[@#][^\W_][\w]*")
_WORD = re.compile(r"[^\W\d_]+")
# letters, with any digits glued on and leet symbols inside: "pagi2", "d3$4"
_ALNUM = re.compile(r"(?=[\w@$€|!]*[^\W\d_])[^\W_]+(?:[@$€|!][^\W_]+)*")
_NUMBER = re.compile(r"(?<![0-9\ufe0f\u20e3])[0-9]+(?![0-9\ufe0f\u20e3])")
_GAP = re.compile(r"(?<=[^\W_]) (?=[^\W_])")
_PUNCT = re.compile(r"[!?]+")

_LEET_OUT = {"a": "44@", "e": "3", "i": "11!", "o": "0", "s": "55$", "t": "7", "l": "1", "g": "9", "b": "8"}
_HOMOGLYPH_OUT = {"a": "а", "e": "е", "o": "оο", "p": "р", "c": "с", "x": "х", "i": "і", "y": "у", "s": "ѕ",
                  "j": "ј", "v": "ν", "A": "АΑ", "B": "ВΒ", "E": "ЕΕ", "H": "НΗ", "K": "КΚ", "M": "МΜ",
                  "O": "ОΟ", "P": "РΡ", "C": "С", "T": "ТΤ", "X": "ХΧ", "I": "І", "N": "Ν"}
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_CIRCLED_1_20 = [(0x2460, 20), (0x2474, 20), (0x2488, 20), (0x2776, 10), (0x2780, 10), (0x278A, 10),
                 (0x24F5, 10)]
_CIRCLED_DIGIT = {"0": "⓪⓿🄋"}
for _d in range(1, 10):
    _CIRCLED_DIGIT[str(_d)] = chr(0x2460 + _d - 1) + chr(0x2776 + _d - 1) + chr(0x2780 + _d - 1)


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _URL.finditer(text)] + [m.span() for m in _TAG.finditer(text)]


def _words(text: str, min_len: int = 3, tags: bool = False, pattern: re.Pattern = _WORD) -> list[re.Match]:
    """Words of ``min_len``+ letters outside URLs (and hashtags/mentions unless ``tags``)."""
    skip = [m.span() for m in _URL.finditer(text)] if tags else _protected(text)
    return [m for m in pattern.finditer(text) if len(m.group()) >= min_len
            and not any(a <= m.start() < z for a, z in skip)]


def _chosen(items: Iterable, rng: random.Random, rate: float) -> list:
    return [x for x in items if rate >= 1.0 or rng.random() < rate]


def _apply(text: str, edits: list[Edit]) -> str:
    parts, pos = [], 0
    for a, z, r in sorted(edits):
        parts += [text[pos:a], r]
        pos = z
    parts.append(text[pos:])
    return "".join(parts)


# --------------------------------------------------------------------------- edit generators


def _leet_edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
    edits = []
    for m in _chosen(_words(text), rng, rate):
        w = m.group()
        slots = [i for i, c in enumerate(w) if c.lower() in _LEET_OUT]
        if not slots:
            continue
        if len(slots) == len(w):  # keep at least one letter
            slots.remove(rng.choice(slots))
            if not slots:
                continue
        pick = [i for i in slots if rng.random() < 0.7] or [rng.choice(slots)]
        chars = list(w)
        for i in pick:
            options = _LEET_OUT[w[i].lower()]
            if i in (0, len(w) - 1):  # symbols only inside a word ("@x" is a mention, "x!" punctuation)
                options = "".join(c for c in options if c.isdigit())
            chars[i] = rng.choice(options)
        edits.append((m.start(), m.end(), "".join(chars)))
    return edits


def _separated_edits(text: str, rng: random.Random, rate: float, sep: str, widen: bool) -> list[Edit]:
    chosen = _chosen(_words(text, min_len=2, pattern=_ALNUM), rng, rate)
    edits = [(m.start(), m.end(), sep.join(m.group())) for m in chosen]
    if widen:  # two spaces between two spaced-out words, most of the time
        ends = {m.end() for m in chosen}
        starts = {m.start() for m in chosen}
        edits += [(g.start(), g.end(), "  ") for g in _GAP.finditer(text)
                  if g.start() in ends and g.end() in starts and rng.random() < 0.8]
    return edits


def _spaced_edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
    return _separated_edits(text, rng, rate, " ", widen=True)


def _dotted_edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
    return _separated_edits(text, rng, rate, rng.choice(".-_"), widen=False)


def _split_edits(text: str, rng: random.Random, rate: float, seps: str = ".-_") -> list[Edit]:
    edits = []
    for m in _chosen(_words(text, min_len=4), rng, rate):
        w = m.group()
        inner = list(range(1, len(w)))
        cuts = {rng.choice(inner)}
        if len(w) >= 7 and rng.random() < 0.5:  # a second cut, not next to the first
            cuts.add(rng.choice([i for i in inner if all(abs(i - c) > 1 for c in cuts)] or sorted(cuts)))
        sep = rng.choice(seps)
        edits.append((m.start(), m.end(), "".join(sep + c if i in cuts else c for i, c in enumerate(w))))
    return edits


def _split_space_edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
    return _split_edits(text, rng, rate, seps=" ")


def _random_case_edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
    edits = []
    for m in _chosen(_words(text, min_len=2, tags=True), rng, rate):
        w = m.group()
        for _ in range(8):  # until the case is actually mixed
            new = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in w)
            if new != w and not new.isupper() and not new.islower():
                break
        if new != w:
            edits.append((m.start(), m.end(), new))
    return edits


def _dot_joined_edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
    return [(g.start(), g.end(), ".") for g in _chosen(_GAP.finditer(text), rng, rate)]


def _mark_edits(mark: str) -> Callable[[str, random.Random, float], list[Edit]]:
    def edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
        return [(m.start(), m.end(), "".join(c + mark for c in m.group()))
                for m in _chosen(_words(text, min_len=1), rng, rate)]
    return edits


def _keycap_edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
    return [(m.start(), m.end(), "".join(d + "\ufe0f\u20e3" for d in m.group()))
            for m in _chosen(_NUMBER.finditer(text), rng, rate)]


def _circled_edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
    edits = []
    for m in _chosen(_NUMBER.finditer(text), rng, rate):
        s = m.group()
        n = int(s)
        styles = [(first, size) for first, size in _CIRCLED_1_20 if 1 <= n <= size] if s[0] != "0" else []
        if n in range(11, 21) and s[0] != "0":
            styles.append((0x24EB - 11 + 1, 20))  # ⓫ .. ⓴
        if styles and rng.random() < 0.7:
            first, _ = rng.choice(styles)
            edits.append((m.start(), m.end(), chr(first + n - 1)))
        else:
            edits.append((m.start(), m.end(), "".join(rng.choice(_CIRCLED_DIGIT[d]) for d in s)))
    return edits


def _homoglyph_edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
    edits = []
    for m in _chosen(_words(text, min_len=2), rng, rate):
        w = m.group()
        slots = [i for i, c in enumerate(w) if c in _HOMOGLYPH_OUT]
        if not slots:
            continue
        pick = [i for i in slots if rng.random() < 0.6] or [rng.choice(slots)]
        chars = list(w)
        for i in pick:
            chars[i] = rng.choice(_HOMOGLYPH_OUT[w[i]])
        edits.append((m.start(), m.end(), "".join(chars)))
    return edits


def _zero_width_edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
    edits = []
    for m in _chosen(_words(text, min_len=2), rng, rate):
        gaps = [p for p in range(m.start() + 1, m.end()) if rng.random() < 0.5] or [m.start() + 1]
        edits += [(p, p, rng.choice(_ZERO_WIDTH)) for p in gaps]
    return edits


def _fullwidth_edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
    items = _words(text, min_len=1) + list(_NUMBER.finditer(text))
    return [(m.start(), m.end(), "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c
                                         for c in m.group()))
            for m in _chosen(sorted(items, key=lambda m: m.start()), rng, rate)]


def _repeat_punct_edits(text: str, rng: random.Random, rate: float) -> list[Edit]:
    return [(m.start(), m.end(), "".join(c * rng.randint(2, 6) for c in m.group()))
            for m in _chosen(_PUNCT.finditer(text), rng, rate)]


EDITS: dict[str, Callable[[str, random.Random, float], list[Edit]]] = {
    "leet": _leet_edits,
    "spaced": _spaced_edits,
    "dotted": _dotted_edits,
    "split": _split_edits,
    "split_space": _split_space_edits,
    "random_case": _random_case_edits,
    "dot_joined": _dot_joined_edits,
    "strike": _mark_edits("\u0336"),
    "underline": _mark_edits("\u0332"),
    "keycap": _keycap_edits,
    "circled": _circled_edits,
    "homoglyph": _homoglyph_edits,
    "zero_width": _zero_width_edits,
    "fullwidth": _fullwidth_edits,
    "repeat_punct": _repeat_punct_edits,
}
KINDS: tuple[str, ...] = tuple(EDITS)
# The order kinds are applied in when several are drawn at random: word spellings first, then
# how words are separated, digits, and the characters added on top.
CANONICAL_ORDER = ("homoglyph", "leet", "random_case", "fullwidth", "spaced", "dotted", "split", "split_space",
                   "dot_joined",
                   "keycap", "circled", "repeat_punct", "strike", "underline", "zero_width")
assert sorted(CANONICAL_ORDER) == sorted(KINDS)


def obfuscation_edits(text: str, kind: str, rng: random.Random, rate: float = 1.0) -> list[Edit]:
    """The edits one ``kind`` makes to ``text`` (sorted, non-overlapping)."""
    if kind not in EDITS:
        raise ValueError(f"unknown obfuscation {kind!r}; known: {list(KINDS)}")
    return sorted(EDITS[kind](text, rng, rate))


def obfuscate(text: str, kind: str, rng: random.Random, rate: float = 1.0) -> tuple[str, list[Edit]]:
    """``text`` rewritten by one ``kind``, and the edits on ``text`` that did it."""
    edits = obfuscation_edits(text, kind, rng, rate)
    return _apply(text, edits), edits


def _kind_function(kind: str) -> Callable[..., tuple[str, list[Edit]]]:
    def f(text: str, rng: random.Random, rate: float = 1.0) -> tuple[str, list[Edit]]:
        return obfuscate(text, kind, rng, rate)
    f.__name__ = f.__qualname__ = kind
    f.__doc__ = f"``(text, rng, rate=1.0) -> (new_text, edits)``: the ``{kind}`` obfuscation."
    return f


leet = _kind_function("leet")
spaced = _kind_function("spaced")
dotted = _kind_function("dotted")
split = _kind_function("split")
split_space = _kind_function("split_space")
random_case = _kind_function("random_case")
dot_joined = _kind_function("dot_joined")
strike = _kind_function("strike")
underline = _kind_function("underline")
keycap = _kind_function("keycap")
circled = _kind_function("circled")
homoglyph = _kind_function("homoglyph")
zero_width = _kind_function("zero_width")
fullwidth = _kind_function("fullwidth")
repeat_punct = _kind_function("repeat_punct")


def draw_kinds(rng: random.Random, k: tuple[int, int] = (1, 3)) -> list[str]:
    """A random set of ``k[0]``..``k[1]`` kinds, in :data:`CANONICAL_ORDER`."""
    chosen = set(rng.sample(KINDS, rng.randint(*k)))
    return [c for c in CANONICAL_ORDER if c in chosen]


def obfuscate_text(text: str, rng: random.Random, kinds: str | Sequence[str] | None = None,
                   rate: float = 1.0) -> str:
    """``text`` with one or several kinds applied in order (``None``: 1-3 drawn at random)."""
    for kind in _kinds(kinds, rng):
        text, _ = obfuscate(text, kind, rng, rate)
    return text


def obfuscate_example(example: Example, rng: random.Random, kinds: str | Sequence[str] | None = None,
                      rate: float = 1.0) -> Example:
    """A new :class:`Example` with one or several obfuscations applied in order (``None``: 1-3
    kinds drawn at random); its gold spans cover the same, now obfuscated, characters."""
    ex = replace(example, spans=None if example.spans is None else
                 [GoldSpan(s.start, s.end, s.category) for s in example.spans])
    for kind in _kinds(kinds, rng):
        ex = apply_edits(ex, obfuscation_edits(ex.text, kind, rng, rate))
    return ex


def _kinds(kinds: str | Sequence[str] | None, rng: random.Random) -> list[str]:
    if kinds is None:
        return draw_kinds(rng)
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    for k in kinds:
        if k not in EDITS:
            raise ValueError(f"unknown obfuscation {k!r}; known: {list(KINDS)}")
    return kinds
