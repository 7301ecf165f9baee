"""The spaced-letters and leetspeak passes: single letters written apart ("p i l i h") are joined
and digits or symbols inside a word ("c0bl0s") become letters when the lexicon reads a word there."""
from __future__ import annotations

import re
from collections.abc import Callable

from .segment import _LEET, Piece, Words, _decode, _piece_ok, _segment, _trusted
from .text import Stage, _Builder

# single letters (or digits / leet symbols) separated by spaces, dots, dashes, underscores or bullets; the
# most frequent separator in a run is the one between letters, any other one a word boundary
_SX = r"(?:[^\W_]|[@$€])"
_SXI = r"(?:[^\W_]|[@$€|!])"  # inside a run also "!" and "|" ("p ! l ! h")
_SEPARATORS = " ._-·•"
_SPACED_HINT = re.compile(r"[ ._\-·•](?<=(?<![^\W_])(?:[^\W_]|[@$€|!])[ ._\-·•])(?:[^\W_]|[@$€|!])(?![^\W_])")
_SPACED = re.compile(rf"(?<![^\W_])(?<![@$€]){_SX}(?:(?: +|[._\-·•]){_SXI})*(?: +|[._\-·•]){_SX}"
                     rf"(?![^\W_])(?![@$€])")

# a token of letters, digits and leet symbols with a letter next to a digit/symbol somewhere
_LT = r"(?:[^\W_]|[@$€|!])"
# (the quick checks below start with a character class, so the regex engine skips ahead to it)
_LEET_HINT = re.compile(r"[013-9@$€|!](?:(?<=[^\W\d_][013-9@$€])|(?<=[^\W\d_][|!])(?=[^\W\d_])|"
                        r"(?<=[013-9$€])(?=[^\W\d_]))")
_LEET_TOKEN = re.compile(
    rf"(?<![^\W_])(?<![@$€|!])(?={_LT}*?(?:[^\W\d_][0-9@$€|!]|[0-9@$€|!][^\W\d_])){_LT}+")
# not leetspeak: numbers with a unit or currency ("5km", "10rb", "Rp5", "1x")
_NUMERIC = re.compile(
    r"(?:rp|idr|usd|us|no|nr|nmr)\d.*|"
    r"\d+(?:k|m|km|cm|mm|kg|gr|mg|ml|gb|mb|kb|tb|rb|jt|an|th|thn|pm|am|wib|wit|wita|mp|hp|kw|kwh|ha|st|nd|rd|x"
    r"|jam|menit|detik|hari|minggu|bulan|tahun|orang|kali|ribu|juta|miliar|persen)")

# letters then digits or digits then letters, other than one digit on a word of 3+ letters
# ("hendr4", "1urah"): a code ("4WD", "GP15", "T470", "h15") unless it reads as a common word
# (tier 2, or tier 3 when it has capitals: "17u" = "itu", "4SN" = "ASN", "KPP5" = "KPPS")
_CODE_SHAPE = re.compile(r"[^\W\d_]{1,2}\d+|[^\W\d_]+\d{2,}|\d+[^\W\d_]{1,2}|\d{2,}[^\W\d_]+")


# --------------------------------------------------------------------------- spaced-out letters


def _spaced_plan(xs: str, after: str, dots: bool, bounded: bool,
                 get_words: Callable[[], Words]) -> list[Piece] | None:
    """How to join the letters ``xs`` of one spaced-out group: ``(start, end, word)`` pieces
    (the lexicon's reading: one word, a word and a number, or several words when the writer
    left no word boundary), or None to leave them as they are. ``get_words``: the lexicon, on demand."""
    low = xs.lower()
    letters = sum(c.isalpha() for c in low)
    if letters == 0:
        return None
    if len(low) == 2 and not low.isalpha():
        return None  # "5 m", "H-1"
    abbreviation = dots and after == "."  # "S.H.", "a.n.", "G.A."
    if bounded:  # the writer marked word boundaries ("p i l i h  n o"): one group, one word if it is one
        w = low if low in get_words() else _decode(low, get_words())
        if w is None and low.endswith("2") and len(low) >= 4:  # "g u r u 2": the reduplication "guru2"
            w = _decode(low[:-1], get_words())
            w = w + "2" if w is not None and len(w) >= 3 else None
        if _piece_ok(w) and (not abbreviation or len(w) >= 4):
            return [(0, len(xs), w)]
    pieces = _segment(low, get_words(), digits=True)
    if pieces and len(pieces) > 1 and not _trusted(pieces, get_words()):
        pieces = None
    if abbreviation:  # only a long word: "D.P.R.D." -> "DPRD."
        return pieces if pieces and len(pieces) == 1 and len(low) >= 4 else None
    if pieces:
        return pieces
    if letters >= 3:
        return [(0, len(xs), low)]
    if len(low) == 2 and low.isalpha() and low in get_words():  # "R T", "s.d": a two-letter word
        return [(0, 2, low)]
    return None


def _spaced_pass(s: str, S: list[int], E: list[int], get_words: Callable[[], Words]) -> Stage:
    b: _Builder | None = None
    pos = 0
    for m in _SPACED.finditer(s):
        a, z = m.span()
        idx = [i for i in range(a, z) if s[i] not in _SEPARATORS]  # the single letters
        seps = [s[i + 1 : j] for i, j in zip(idx, idx[1:])]
        # the most frequent separator is the one between letters; any other is a word boundary
        letter_sep = max(seps, key=lambda x: (seps.count(x), -seps.index(x)))
        groups = [[idx[0]]]
        for k, sep in enumerate(seps):
            if sep == letter_sep:
                groups[-1].append(idx[k + 1])
            else:
                groups.append([idx[k + 1]])
        plans = [_spaced_plan("".join(s[i] for i in g), s[g[-1] + 1 : g[-1] + 2], letter_sep == ".",
                              len(groups) > 1, get_words) if len(g) > 1 else None for g in groups]
        if not any(plans):
            continue
        if b is None:
            b = _Builder()
        b.copy(s, S, E, pos, a)
        for n, (g, plan) in enumerate(zip(groups, plans)):
            if n:  # the word boundary as written
                b.copy(s, S, E, groups[n - 1][-1] + 1, g[0])
            if plan is None:
                b.copy(s, S, E, g[0], g[-1] + 1)
                continue
            for k, (i, j, w) in enumerate(plan):
                if k:  # a word boundary the writer left out: a space standing for the separator there
                    b.add(" ", S[g[i - 1] + 1], E[g[i] - 1])
                for t in range(i, j):
                    c = s[g[t]]
                    b.add(c if c.isalpha() or (c.isdigit() and w[t - i].isdigit()) else w[t - i], S[g[t]], E[g[t]])
        pos = z
    if b is None:
        return s, S, E
    b.copy(s, S, E, pos, len(s))
    return b.text(), b.starts, b.ends


# --------------------------------------------------------------------------- leetspeak


def _leet_plan(core: str, get_words: Callable[[], Words]) -> list[tuple[int, int, str, bool]] | None:
    """How to read a token with digits/symbols among its letters: ``(start, end, word,
    space_before)`` pieces, or None to leave it alone."""
    low = core.lower()
    words = get_words()
    if len(low) < 3 or low in words or _NUMERIC.fullmatch(low) or not any(c.isalpha() for c in low):
        return None

    def leet(part: str) -> bool:  # clean words glued to a number ("tahun2024") are not leetspeak
        return any(c in _LEET for c in part)

    code_tier = 3 if any(c.isupper() for c in core) else 2  # codes are mostly in capitals: "GP15", "4WD"

    def read(part: str) -> str | None:
        w = _decode(part, words)
        if w is None or (_CODE_SHAPE.fullmatch(part) and words.get(w, 0) < code_tier):
            return None
        return w

    w = read(low)
    if w is not None:
        return [(0, len(low), w, False)] if len(w) >= 3 else None
    if _CODE_SHAPE.fullmatch(low):
        return None
    # a word, then a small number: "c0bl0s02" -> "coblos 02", "b4g12" -> "bagi2" (the longest word wins)
    digits = len(low) - len(low.rstrip("0123456789"))
    for k in range(len(low) - 1, len(low) - min(digits, 2) - 1, -1):
        w = read(low[:k]) if k >= 3 and leet(low[:k]) else None
        if w is not None and len(w) >= 3:
            tail = low[k:]
            return [(0, k, w, False), (k, len(low), tail, tail != "2")]
    # the reduplication "2" inside: "an@k2ku" -> "anak2ku", "s3y4kin2ny4" -> "seyakin2nya"
    if "2" in low.strip("2") and leet(low.replace("2", "")):
        pieces, i = [], 0
        for part in low.split("2"):
            if part:
                w = part if part.isalpha() else read(part)
                if w is None:
                    break
                pieces.append((i, i + len(part), w, False))
            if i + len(part) < len(low):
                pieces.append((i + len(part), i + len(part) + 1, "2", False))
            i += len(part) + 1
        else:
            return pieces
    # words glued together: "c0bl0sn0m0r" -> "coblos nomor"
    head = low.rstrip("0123456789")
    cut = _segment(head, words) if len(head) >= 5 and leet(head) else None
    if not _trusted(cut, words):
        return None
    pieces = [(i, j, w, k > 0) for k, (i, j, w) in enumerate(cut)]
    if len(head) < len(low):
        pieces.append((len(head), len(low), low[len(head):], True))
    return pieces


def _leet_pass(s: str, S: list[int], E: list[int], get_words: Callable[[], Words]) -> Stage:
    b: _Builder | None = None
    pos = 0
    for m in _LEET_TOKEN.finditer(s):
        a, z = m.span()
        if s[a] == "@":  # a mention
            continue
        tok = m.group()
        core = tok.lstrip("!|").rstrip("!|$")  # "pilih!", "US$"
        a += len(tok) - len(tok.lstrip("!|"))
        z = a + len(core)
        # a number's part ("Rp5.000", "10.30"), not a word
        if (z + 1 < len(s) and s[z] in ".,:" and s[z + 1].isdigit()) or \
                (a >= 2 and s[a - 1] in ".,:" and s[a - 2].isdigit()):
            continue
        plan = _leet_plan(core, get_words)
        if plan is None:
            continue
        if b is None:
            b = _Builder()
        b.copy(s, S, E, pos, a)
        for i, j, w, space in plan:
            if space:
                b.insert(" ", S[a + i])
            for t in range(i, j):
                c = core[t]
                b.add(c if c.isalpha() else w[t - i], S[a + t], E[a + t])
        pos = z
    if b is None:
        return s, S, E
    b.copy(s, S, E, pos, len(s))
    return b.text(), b.starts, b.ends
