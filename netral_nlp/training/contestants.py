"""Training-only augmentation so that contestants' names do not decide the label.

Real training texts name the contestants of past elections (the 2024 presidential pairs, the
2019 pairs, the 2017 Jakarta pairs), their parties, ballot numbers and campaign hashtags. A model
trained on them learns those names ("a text naming X is partisan") instead of what a partisan
text does. :func:`rename_contestants` rewrites every such mention with an *invented* contestant
of many shapes (one name, a pair "A-B", a nickname, initials, a ballot number in digits or words,
a hashtag compound), consistently within the text (the same person gets the same new name
throughout) and with the gold spans moved exactly.

The list below is only used to *find* mentions in training texts; inference knows no names.
"""
from __future__ import annotations

import random
import re
from dataclasses import replace

from ..data import Example, apply_edits

# People: each entry is one contestant, with the surface forms found in the real training texts
# (lower case; matched case-insensitively on word boundaries, also inside hashtags).
PEOPLE = [
    ("anies", "baswedan", "abw"), ("muhaimin", "iskandar", "imin", "gus imin", "cak imin"),
    ("ganjar", "pranowo"), ("mahfud", "mahfud md", "mahfudmd"), ("prabowo", "subianto", "bowo"),
    ("gibran", "rakabuming"), ("jokowi", "joko widodo", "widodo"), ("ma'ruf", "maruf", "ma ruf"),
    ("sandiaga", "sandi", "uno"), ("ahok", "basuki", "btp"), ("djarot",), ("agus", "ahy", "agus harimurti"),
    ("sylviana", "sylvi", "silvy"),
]
# Pair names, slogans built from names, and parties (each mapped to an invented one of its kind).
PAIRS = ["gama", "prabowo-gibran", "pragib", "ganjar-mahfud", "anies-muhaimin", "jokowi-amin",
         "prabowo-sandi", "padi", "ahok-djarot", "badja", "anies-sandi", "agus-sylvi"]
HASHTAG_ONLY_PAIRS = ["amin"]  # also the everyday "amin" (amen): renamed only as a hashtag
PARTIES = ["pdip", "pdi-p", "pdi perjuangan", "gerindra", "pkb", "nasdem", "pks", "golkar", "demokrat", "pan",
           "ppp", "perindo", "hanura", "psi", "partai buruh", "gelora", "ummat"]
NUMBERS = re.compile(r"(?i)\b(?:(?:nomor|nomer|no|nmr|paslon|capres|urut)\.?\s*(?:urut\s*)?)(0?[1-3]|satu|dua|tiga)\b"
                     r"|(?<![\w.])(0[1-3])(?![\w.])")

_SYLLABLES = ["ra", "di", "san", "to", "wi", "ja", "ya", "ko", "ri", "ma", "nu", "har", "lin", "da", "se", "ti",
              "bu", "gar", "han", "sur", "ya", "dar", "mo", "ke", "pra", "yo", "ba", "dek", "fa", "ro", "ni", "lu"]
_NICK = ["bang", "gus", "cak", "kang", "mas", "pak", "bu", "uda", "daeng", "bli", "om"]
_PARTY_SHAPES = ["partai {a}", "p{x}", "{A}", "partai {a} {b}"]
_NUMBER_WORDS = {"1": ["1", "01", "satu", "4", "04", "empat"], "2": ["2", "02", "dua", "5", "05", "lima"],
                 "3": ["3", "03", "tiga", "6", "06", "enam"]}


def _word(rng: random.Random, lo: int = 2, hi: int = 3) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(lo, hi)))


def _case_like(new: str, old: str) -> str:
    if old.isupper() and len(old) > 1:
        return new.upper()
    if old[:1].isupper():
        return " ".join(w[:1].upper() + w[1:] for w in new.split(" "))
    return new.lower()


def _pattern(forms, inside_hashtag: bool = False) -> re.Pattern:
    """Any of ``forms``, case-insensitive, not inside a longer word (digits may follow:
    "anies2024"); with ``inside_hashtag``, anywhere in a hashtag's body (forms of 5+ letters)."""
    def one(form: str) -> str:
        return r"\s*-\s*".join(r"\s+".join(re.escape(w) for w in part.split()) for part in form.split("-"))

    alts = sorted({one(f) for f in forms}, key=len, reverse=True)
    if inside_hashtag:
        return re.compile(r"(?i)(" + "|".join(alts) + r")")
    return re.compile(r"(?i)(?<![^\W_])(" + "|".join(alts) + r")(?![^\W\d_])")


_PERSON_PATTERNS = [_pattern(forms) for forms in PEOPLE]
_PAIR_PATTERN = _pattern(PAIRS)
_PARTY_PATTERN = _pattern(PARTIES)
_IN_HASHTAG = [(kind, idx, _pattern([f for f in forms if len(f) >= 5], inside_hashtag=True))
               for kind, idx, forms in ([("pair", -1, PAIRS + HASHTAG_ONLY_PAIRS), ("party", -1, PARTIES)]
                                        + [("person", i, f) for i, f in enumerate(PEOPLE)])
               if any(len(f) >= 5 for f in forms)]
_HASHTAG = re.compile(r"#(\w+)")


class _Inventor:
    """Invented replacements, consistent within one text."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.people: dict[int, tuple[str, str, str]] = {}
        self.pairs: dict[str, str] = {}
        self.parties: dict[str, str] = {}
        self.numbers: dict[str, str] = {}

    def person(self, idx: int, old: str, in_hashtag: bool) -> str:
        """The invented person ``idx``: the first form of an entry is a first name, the others
        surnames or nicknames, a form with a space a full name, three letters or fewer initials."""
        if idx not in self.people:
            first, last = _word(self.rng), _word(self.rng)
            self.people[idx] = (first, last, self.rng.choice(_NICK))
        first, last, nick = self.people[idx]
        form = " ".join(old.lower().split())
        if len(form) <= 3:
            new = first[0] + last[0] + (form[2] if len(form) > 2 else "")
        elif " " in form:
            new = f"{nick} {first}" if form.split()[0] in _NICK + ["gus"] else f"{first} {last}"
        elif form == PEOPLE[idx][0]:
            new = first
        else:
            new = last
        if in_hashtag:
            new = new.replace(" ", "")
        return _case_like(new, old)

    def pair(self, old: str) -> str:
        key = old.lower()
        if key not in self.pairs:
            a, b = _word(self.rng), _word(self.rng)
            shape = self.rng.random()
            self.pairs[key] = f"{a}-{b}" if shape < 0.5 else (a[:3] + b[:3] if shape < 0.8 else a[0] + b[0] + "n")
        return _case_like(self.pairs[key], old)

    def party(self, old: str) -> str:
        key = old.lower()
        if key not in self.parties:
            a, b = _word(self.rng), _word(self.rng, 2, 2)
            self.parties[key] = self.rng.choice(_PARTY_SHAPES).format(a=a, b=b, A=(a[:1] + b[:2]).upper(),
                                                                      x=a[:2])
        return _case_like(self.parties[key], old)

    def number(self, old: str) -> str:
        digit = {"satu": "1", "dua": "2", "tiga": "3"}.get(old.lower(), old.lstrip("0") or "0")
        if digit not in self.numbers:
            options = _NUMBER_WORDS.get(digit, [digit])
            self.numbers[digit] = self.rng.choice(options)
        return self.numbers[digit]


def _mentions(text: str) -> list[tuple[int, int, str, int]]:
    """(start, end, kind, person index) of every mention, longest first where they overlap."""
    found = []
    for h in _HASHTAG.finditer(text):
        body = h.group(1)
        if body.lower() in HASHTAG_ONLY_PAIRS:
            found.append((h.start(1), h.end(1), "pair", -1))
        for kind, idx, pat in _IN_HASHTAG:
            found += [(h.start(1) + m.start(1), h.start(1) + m.end(1), kind, idx) for m in pat.finditer(body)]
    for m in _PAIR_PATTERN.finditer(text):
        found.append((m.start(1), m.end(1), "pair", -1))
    for idx, pat in enumerate(_PERSON_PATTERNS):
        found += [(m.start(1), m.end(1), "person", idx) for m in pat.finditer(text)]
    found += [(m.start(1), m.end(1), "party", -1) for m in _PARTY_PATTERN.finditer(text)]
    for m in NUMBERS.finditer(text):
        g = 1 if m.group(1) else 2
        found.append((m.start(g), m.end(g), "number", -1))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out, end = [], -1
    for f in found:
        if f[0] >= end:
            out.append(f)
            end = f[1]
    return out


def has_contestant(text: str) -> bool:
    return any(kind != "number" for _, _, kind, _ in _mentions(text))


def rename_contestants(ex: Example, rng: random.Random) -> Example:
    """``ex`` with every contestant, pair, party and ballot number replaced by invented ones
    (consistently), spans moved with the text. Unchanged when there is nothing to rename."""
    inv = _Inventor(rng)
    edits = []
    hashtags = [(h.start(), h.end()) for h in _HASHTAG.finditer(ex.text)]
    for start, end, kind, idx in _mentions(ex.text):
        old = ex.text[start:end]
        if kind == "person" and old.lower() == "sandi" and ex.text[:start].lower().endswith("kata "):
            continue  # "kata sandi" is a password
        if kind == "person":
            new = inv.person(idx, old, any(a < start < b for a, b in hashtags))
        elif kind == "pair":
            new = inv.pair(old)
        elif kind == "party":
            new = inv.party(old)
        else:
            new = inv.number(old)
        edits.append((start, end, new))
    out = apply_edits(ex, edits)
    return replace(out, id=ex.id + "~renamed") if out is not ex else ex


def renamed_copies(examples: list[Example], rate: float, seed: int = 29) -> list[Example]:
    """A renamed copy of about ``rate`` of the examples that mention a real contestant or party."""
    rng = random.Random(seed)
    out = []
    for ex in examples:
        if has_contestant(ex.text) and rng.random() < rate:
            new = rename_contestants(ex, rng)
            if new.text != ex.text:
                out.append(new)
    return out
