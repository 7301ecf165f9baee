"""Separators written inside words to dodge keyword filters: ``pi.lih``, ``co-bl-os``, ``PiL.iH
nO.mOr 2``, ``dukun_g``, ``pi lih no mor``. The pieces of a word cut by dots, hyphens or underscores
are joined again when, and only when, they read as one word of the lexicon; runs of single letters
(``c.o.b.l.o.s``) are the spaced-letters pass's. Pieces written one space apart are joined more
cautiously, since two words may be meant (:func:`_space_join`): the whole must be a common word,
and a piece that is itself a common word ("ke", "di", "ibu") keeps them apart unless a piece is
in random case or the whole is at least as common as that piece ("sa ya").

Not joined: numbers, decimals and dates (``3.5%``, ``14.02.2024``, ``Rp5.000``), ballot numbers
(``No.2``), academic titles and other abbreviations in capitals (``S.Pd.``, ``A.Md.Kep``,
``M.Si``), host and file names (``kpu.go.id``, ``foto.jpg``), e-mail addresses, paths and URLs,
reduplication and compounds with a proper noun (``anak-anak``, ``e-KTP``, ``se-Indonesia``) and
ordinary words written together (``tanya-jawab``: both pieces are common words).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from .segment import COMMON2, Words, _decode
from .text import Stage, _Builder

# a cheap test: a letter or digit, a separator, a letter or digit
_INTRA_HINT = re.compile(r"[^\W_][._\-](?=[^\W_])")
# letters/digits cut by single separators; not inside an address, a path, a tag or a longer chain
_INTRA = re.compile(r"(?<![\w@#/\\:.\-])[^\W_]+(?:[._\-][^\W_]+)+(?![\w@/\\]|[._\-][^\W_])")
# last pieces that make a host or file name ("kpu.go.id", "foto.jpg")
_NOT_WORDS = frozenset({"www", "com", "id", "net", "org", "co", "go", "ac", "sch", "ly", "io", "me", "info", "gov",
                        "edu", "my", "sg", "html", "php", "pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png",
                        "mp4", "mp3", "txt", "uk", "au", "csv", "zip", "gif", "http", "https"})

# written with a hyphen before a word: "se-Kabupaten", "non-ASN", "pra-pemilu", "e-KTP"
_HYPHEN_PREFIXES = frozenset({"se", "ke", "di", "e", "non", "pra", "pro", "eks", "anti", "antar", "pasca"})


def _plain_case(p: str) -> bool:
    """lower, UPPER or Title case: how words are written (anything else is random case)."""
    return p.islower() or p.isupper() or (p[0].isupper() and p[1:].islower()) or not p.isalpha()


def _random_case(p: str) -> bool:
    letters = "".join(c for c in p if c.isalpha())
    return len(letters) > 1 and not _plain_case(letters)


def _mixed(pieces: list[str]) -> bool:
    """Random case in a piece, or across them ("sa.Ya": a capital inside the word), not capitalised
    words one after the other ("Jl.Merdeka")."""
    if any(_random_case(p) for p in pieces):
        return True
    return _random_case("".join(pieces)) and not all(_plain_case(p) and p[0].isupper() for p in pieces)


def _join_plan(pieces: list[str], seps: list[str], get_words: Callable[[], Words]) -> int:
    """How many leading pieces to join into one word (0: leave the token as it is). A number after
    the word ("nO.mOr.2") stays apart."""
    n = len(pieces)
    while n > 0 and pieces[n - 1].isdigit():
        n -= 1
    head = pieces[:n]
    if n < 2 or n < len(pieces) - 1:
        return 0
    if any(not any(c.isalpha() for c in p) for p in head):
        return 0  # a number's part ("3.5", "14.02.2024")
    if all(len(p) == 1 for p in head):
        return 0  # single letters: abbreviations ("a.n", "S.H") or the spaced-letters pass
    if pieces[-1].lower() in _NOT_WORDS or head[0].lower() in ("www", "http", "https"):
        return 0
    mixed = _mixed(head)
    words = get_words()
    low = "".join(head).lower()
    w = low if low in words else _decode(low, words)
    if w is None or len(w) < 3:
        return 0
    tier = words.get(w, 0)
    low_pieces = [p.lower() for p in head]
    if any(p.startswith(q) or p.endswith(q) for k, q in enumerate(low_pieces) for p in low_pieces[k + 1:]
           if len(q) >= 3 or p == q):
        return 0  # reduplication: "anak-anak", "kerja-kerja", "terang-terangan", "iBu-IbU"
    if "-" in seps and all(len(p) >= 3 or p in _HYPHEN_PREFIXES for p in low_pieces) and \
            any(len(p) >= 3 and words.get(p, -1) > tier for p in low_pieces):
        return 0  # a word more frequent than the whole: "bolak-balik", "se-Kecamatan", "non-ASN"
    if mixed:  # random case ("PiL.iH", "sa.Ya"): the writer is hiding a word
        short = len(w) < 4 or all(len(p) <= 2 for p in head)  # "dI.a", "sP.Pd": a common word only
        return n if tier >= 3 or not short else 0
    capital = [p[0].isupper() for p in head]
    # titles and abbreviations with dots: "S.Pd", "A.Md.Kep", "M.Si" (not a long common word: "CO.BLOS")
    abbreviation = all(p.isupper() for p in head) or (
        seps == ["."] * len(seps) and all(capital) and len(head[0]) <= 2)  # + "APBN-P"
    if abbreviation and not (tier >= 2 and len(w) >= 5):
        return 0
    # a compound with a proper noun or a code: "e-KTP", "non-ASN" (not "sa.Ya", "ca-Pres": the whole is
    # the more frequent word)
    if not capital[0] and any(c and words.get(p.lower(), -1) > tier for c, p in zip(capital, head)):
        return 0
    if tier < 1:  # a rare reading: more likely two words written together
        return 0
    if "_" not in seps and all(len(p) >= 3 and words.get(p, 0) >= 2 for p in low_pieces):
        return 0  # ordinary words joined: "tanya-jawab" (not "si.ni", "ban.tu": pieces too short to be words)
    return n


def _intraword_pass(s: str, S: list[int], E: list[int], get_words: Callable[[], Words]) -> Stage:
    """Separators inside a word dropped (their characters go with no normalised character), a
    separator before a number after the word becomes a space ("nO.mOr.2" -> "nOmOr 2")."""
    b: _Builder | None = None
    pos = 0
    for m in _INTRA.finditer(s):
        a, z = m.span()
        tok = m.group()
        pieces = re.split(r"[._\-]", tok)
        seps = re.findall(r"[._\-]", tok)
        n = _join_plan(pieces, seps, get_words)
        if not n:
            continue
        if b is None:
            b = _Builder()
        b.copy(s, S, E, pos, a)
        i = a
        for k, p in enumerate(pieces):
            if k:
                if k < n:  # a separator inside the word: dropped
                    pass
                else:  # the separator before the number: a space standing for it
                    b.add(" ", S[i], E[i])
                i += 1
            b.copy(s, S, E, i, i + len(p))
            i += len(p)
        pos = z
    if b is None:
        return s, S, E
    b.copy(s, S, E, pos, len(s))
    return b.text(), b.starts, b.ends


# --------------------------------------------------------------------------- spaces inside words

_LETTERS = re.compile(r"[^\W\d_]+")
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxyz")  # lower case: a letter on its own is rarely a word
SPACE_HINT = re.compile(r"[^\W\d_] [^\W\d_]")


def _space_join(pieces: list[str], words: Words) -> bool:
    """Whether letter runs written one space apart ("pi lih", "PiL iH", "sat u") are one word: the
    whole is a common word of 4+ letters (5+ unless very common) and the pieces are not all words
    themselves, and, unless the case is random, none of them is a common word ("co blos", "di pilih",
    "Bu Kit" stay apart: the writer may have meant them)."""
    if all(len(p) == 1 for p in pieces):
        return False  # the spaced-letters pass's
    low = "".join(pieces).lower()
    tier = words.get(low, -1)
    if tier < 2 or len(low) < 4 or (len(low) == 4 and tier < 3):
        return False

    def common(p: str) -> bool:
        q = p.lower()
        return words.get(q, -1) >= 2 and (len(q) >= 3 or q in COMMON2)

    commons = [p for p in pieces if common(p)]
    if any(_random_case(p) for p in pieces):  # not across pieces: "ke Las", "BI dan" are two words
        return len(commons) < len(pieces)
    # one common piece beside pieces of 2+ letters that are no word, and the whole as common as it:
    # "sa ya", not "ke marin", "ter bukti", "di pilih" (a prefix written apart), "dan A", "and a"
    others = [p for p in pieces if p not in commons]
    if len(pieces) == 2 and pieces[0] in _CONSONANTS and tier >= 3 and words.get(pieces[1].lower(), -1) <= tier:
        return True  # a consonant on its own, then a word: "d esa", "b oleh", "t api"
    return not commons or (len(commons) == 1 and tier >= 3 and words.get(commons[0].lower(), -1) <= tier
                           and all(len(p) >= 2 and words.get(p.lower(), -1) < 2 for p in others))


def _space_pass(s: str, S: list[int], E: list[int], get_words: Callable[[], Words]) -> Stage:
    """Letter runs of a word written apart with single spaces joined (the spaces dropped); runs of
    three pieces, then two. Cheap on clean text: a run is looked at only when the lower-cased pieces
    put together are a word of the lexicon."""
    low = s.lower()
    spans = [m.span() for m in _LETTERS.finditer(s)]
    words = get_words()
    # gap[j]: runs j and j + 1 are one space apart
    gap = [y0 == x1 + 1 and s[x1] == " " for (_, x1), (y0, _) in zip(spans, spans[1:])]

    def joins(i: int, k: int) -> bool:
        group = spans[i : i + k]
        first, last = group[0][0], group[-1][1]
        if (first and s[first - 1] in "#@") or (last < len(s) and s[last] in "@/"):
            return False  # a tag's or an address's part
        return _space_join([s[x:y] for x, y in group], words)

    b: _Builder | None = None
    pos, i, n = 0, 0, len(spans)
    while i < n - 1:
        if not gap[i]:
            i += 1
            continue
        (a0, a1), (b0, b1) = spans[i], spans[i + 1]
        pair = low[a0:a1] + low[b0:b1]
        k = 0
        if i + 2 < n and gap[i + 1] and words.get(pair + low[spans[i + 2][0] : spans[i + 2][1]], -1) >= 2 \
                and joins(i, 3):
            k = 3
        elif words.get(pair, -1) >= 2 and joins(i, 2):
            k = 2
        if not k:
            i += 1
            continue
        b = b if b is not None else _Builder()
        b.copy(s, S, E, pos, spans[i][0])
        for x, y in spans[i : i + k]:
            b.copy(s, S, E, x, y)
        pos = spans[i + k - 1][1]
        i += k
    if b is None:
        return s, S, E
    b.copy(s, S, E, pos, len(s))
    return b.text(), b.starts, b.ends
