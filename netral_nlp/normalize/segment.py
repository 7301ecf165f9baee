"""Reading a token with the lexicon: leetspeak decoding and cutting a run of letters into words."""
from __future__ import annotations

import itertools
from collections.abc import Mapping

# Two-letter words a spaced-out run ("n o") or a segmentation piece may be; any longer word of
# the lexicon may be (the lexicon's two-letter entries are mostly abbreviations and noise).
COMMON2 = frozenset({"di", "ke", "ya", "no", "si", "tu", "ni", "lu", "gw", "yg", "dr", "jg", "sm", "tp", "pd",
                     "jd", "bu", "om", "mu", "ku", "ga", "gk", "ok"})

# leetspeak digits and symbols and the letters each may stand for
_LEET = {"0": "o", "1": "il", "3": "e", "4": "a", "5": "s", "6": "gb", "7": "t", "8": "b", "9": "g",
         "@": "a", "$": "s", "€": "e", "|": "il", "!": "i"}
_MAX_COMBOS = 64

Words = Mapping[str, int]  # word -> frequency tier


def _decode(token: str, words: Words) -> str | None:
    """The lexicon word a lower-case leet token stands for (the most frequent reading), or None."""
    options, combos = [], 1
    for c in token:
        o = _LEET.get(c)
        if o is None:
            if not c.isalpha():
                return None
            o = c
        else:
            combos *= len(o)
        options.append(o)
    if combos > _MAX_COMBOS:
        return None
    if combos == 1:
        w = "".join(options)
        return w if w in words else None
    best, best_tier = None, -1
    for combo in itertools.product(*options):
        w = "".join(combo)
        tier = words.get(w, -1)
        if tier > best_tier:
            best, best_tier = w, tier
    return best


def _piece_ok(w: str | None) -> bool:
    return w is not None and (len(w) >= 3 or w in COMMON2)


Piece = tuple[int, int, str]  # start, end (in the token), the word it reads as


def _trusted(pieces: list[Piece] | None, words: Words) -> bool:
    """A cut into several words is believed when it has a number in it ("nomor 2") or every word
    is a common one (two-letter ones of COMMON2, or seen 100+ times, or 6+ letters long); a cut
    into rare short words ("b u m d e s" -> "bum des") is more likely one word the lexicon lacks."""
    if not pieces:
        return False
    if len(pieces) == 1 or any(w.isdigit() for _, _, w in pieces):
        return True
    return all(w in COMMON2 or words.get(w, 0) >= 2 or len(w) >= 6 for _, _, w in pieces)


def _segment(s: str, words: Words, digits: bool = False) -> list[Piece] | None:
    """Cut lower-case ``s`` into lexicon words (leet decoded, at least 3 letters or one of
    :data:`COMMON2`) and, with ``digits``, runs of digits. The best cut has the fewest pieces, a
    decoded character counting half a piece ("n o m o r 1" is "nomor 1", not "no mori"; "y a n 9"
    is "yang", not "yan 9"), then the most frequent words ("tidak ada", not "tida kada"; "1 n 1" is
    "ini", not "1 ni"), then the fewest decoded characters. None: no cut."""
    n = len(s)
    if n > 64 or n == 0:
        return None
    # best[j]: (cost, -sum of tiers, decoded characters, previous cut, word) of the best cut of s[:j]
    best: list[tuple | None] = [None] * (n + 1)
    best[0] = (0, 0, 0, -1, "")

    def offer(i: int, j: int, w: str, decoded: int, tier: int) -> None:
        c, t, d = best[i][0], best[i][1], best[i][2]
        cand = (c + 2 + decoded, t - tier, d + decoded, i, w)  # (cost in half pieces, -tiers, decoded)
        if best[j] is None or cand[:3] < best[j][:3]:
            best[j] = cand

    for i in range(n):
        if best[i] is None:
            continue
        if digits and s[i].isdigit() and (i == 0 or not s[i - 1].isdigit()):
            j = i + 1
            while j < n and s[j].isdigit():
                j += 1
            offer(i, j, s[i:j], 0, 0)
        for j in range(i + 2, min(n, i + 30) + 1):
            piece = s[i:j]
            w = piece if piece in words else _decode(piece, words)
            if _piece_ok(w):
                offer(i, j, w, sum(a != b for a, b in zip(piece, w)), words.get(w, 0))
    if best[n] is None:
        return None
    out, j = [], n
    while j > 0:
        i, w = best[j][3], best[j][4]
        out.append((i, j, w))
        j = i
    return out[::-1]
