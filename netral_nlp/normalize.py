"""Indonesian social-media normalization that keeps a map back to the original characters.

The model sees the normalized text; every normalized character remembers the half-open range
of ORIGINAL characters it came from, so spans found in normalized text map back exactly.

What it does, in this order (each step can be switched off in :class:`NormalizationConfig`):

* unicode: per-character NFKC (fancy "𝐇𝐞𝐧𝐝𝐫𝐚" and fullwidth "ｈｅｎｄｒａ" letters become
  "Hendra"), drops zero-width and other format characters, turns control characters and lone
  surrogates into spaces;
* keycaps: ``2️⃣`` (digit + U+FE0F + U+20E3) becomes ``2``;
* enclosed: circled, parenthesised, double-circled, negative-circled and "digit full stop"
  digits and letters (``② ⑵ ⓶ ❷ ➋ ⒉ ⓐ 🅐``) become the plain digit or letter;
* combining: combining marks (strike-through U+0336, underline U+0332, stacked diacritics) are
  removed; their characters stay in the range of the letter they sit on;
* homoglyphs: in a word whose letters are all Latin or Latin look-alikes, Cyrillic/Greek
  look-alikes (``а е о р с х і ο ν``) and small capitals (``ᴄᴏʙʟᴏꜱ``) become Latin letters;
* spaced_letters: single letters separated by one repeated separator (spaces, ``.``, ``-``,
  ``_``, ``·``, ``•``) are joined when the result is a word of the lexicon or a run of three or
  more letters ("p i l i h" -> "pilih", "c.o.b.l.o.s" -> "coblos"); a run of several words
  written as one ("p i l i h n o 2") is cut at word boundaries with the lexicon;
* leetspeak: digits and symbols inside a word (``0 1 3 4 5 6 7 8 9 @ $ € | !``) become letters
  when, and only when, the result is a word of the lexicon ("c0bl0s" -> "coblos"), so numbers
  ("nomor 2", "14 Februari", "Rp5.000", "10.30", "2024") and real letter+digit tokens ("P3K",
  "covid19", "5km") are left alone;
* emoji_spacing: an emoji or other pictographic symbol written against a word gets a space
  ("coblos🔥nomor 2" -> "coblos 🔥 nomor 2"): a WordPiece vocabulary without the symbol
  (IndoBERT's) reads a whole word with a symbol in it as one ``[UNK]``;
* punctuation: ``!!!``/``?!?`` become one ``!``/``?``, ``....`` becomes ``...``, ``,,,`` one ``,``;
  three or more words joined by dots ("CoBlOs.NoMoR.2") are separated by spaces (not host or file
  names: "www.x.go.id", "a.b.pdf");
* urls: ``https://...`` / ``www....`` become the word ``url``;
* mentions / hashtags: ``@HendraSaputra`` -> ``@Hendra Saputra``, ``#LanjutTerus02`` ->
  ``#Lanjut Terus 02`` (camel case, digits and underscores split); with random_case, a tag in
  random case (``#CoBlOsNoMoR2``) is cut with the lexicon (``#coblos nomor 2``), not at every
  capital;
* elongation: runs of three or more identical letters shrink to one ("bangeeet" -> "banget");
* slang: common abbreviations are expanded ("yg" -> "yang", "gk" -> "gak", "utk" -> "untuk").

Lower-casing is left to the tokenizer (IndoBERT's is uncased), which keeps its own offsets, so
alternating case ("CoBlOs") needs nothing here. The lexicon (``resources/lexicon.txt.gz``, built
by ``tools/build_lexicon.py``) is loaded once, lazily, on the first text that needs it.
"""
from __future__ import annotations

import bisect
import csv
import functools
import gzip
import itertools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

SLANG: dict[str, str] = {
    "yg": "yang", "yng": "yang", "dgn": "dengan", "dg": "dengan", "utk": "untuk", "untk": "untuk",
    "bgt": "banget", "bngt": "banget", "kpd": "kepada", "gk": "gak", "ga": "gak", "gak": "gak",
    "nggak": "gak", "ngga": "gak", "enggak": "gak", "tdk": "tidak", "tak": "tidak", "sdh": "sudah",
    "udh": "sudah", "udah": "sudah", "blm": "belum", "blum": "belum", "krn": "karena", "karna": "karena",
    "jd": "jadi", "jdi": "jadi", "klo": "kalau", "kalo": "kalau", "kl": "kalau", "sy": "saya",
    "aq": "aku", "gw": "gue", "org": "orang", "pd": "pada", "dr": "dari", "dri": "dari", "tp": "tapi",
    "tpi": "tapi", "sm": "sama", "bs": "bisa", "bsa": "bisa", "hrs": "harus", "skrg": "sekarang",
    "skrng": "sekarang", "bpk": "bapak", "ibu2": "ibu-ibu", "bapak2": "bapak-bapak", "sj": "saja",
    "aja": "saja", "lg": "lagi", "lgi": "lagi", "jg": "juga", "jga": "juga", "dlm": "dalam",
    "spt": "seperti", "sprt": "seperti", "krg": "kurang", "byk": "banyak", "bnyk": "banyak",
    "msh": "masih", "masi": "masih", "mrk": "mereka", "kmrn": "kemarin", "bsk": "besok", "tgl": "tanggal",
    "sbg": "sebagai", "ttg": "tentang", "tsb": "tersebut", "pak": "pak", "bu": "bu", "trs": "terus",
    "trus": "terus", "smg": "semoga", "mksh": "makasih", "makasi": "makasih", "thx": "makasih",
    "gmn": "gimana", "gimana": "gimana", "knp": "kenapa", "emg": "memang", "emang": "memang",
    "bener": "benar", "bnr": "benar", "sdr": "saudara", "kmu": "kamu", "lu": "lu", "dpt": "dapat",
    "jgn": "jangan", "jngn": "jangan", "kt": "kita", "kita2": "kita-kita", "sya": "saya",
    "sll": "selalu", "slalu": "selalu", "mnrt": "menurut", "trms": "terima", "pny": "punya",
}

# --------------------------------------------------------------------------- configuration

# The steps added against deliberate obfuscation (issue 10); ``NormalizationConfig.without_evasion()``
# switches them off, which is the normaliser models were trained with before.
EVASION_STEPS = ("keycaps", "enclosed", "combining", "homoglyphs", "spaced_letters", "leetspeak",
                 "random_case", "punctuation")

OFF_WHEN_ABSENT = ("emoji_spacing",)


@dataclass(frozen=True)
class NormalizationConfig:
    """Switches for each normalization step; stored in a model's ``config.json``.

    A config saved before a switch existed loads with that switch at its default (on), except, in a
    saved model's settings (:meth:`netral_nlp.settings.NetralSettings.from_dict`), the switches of
    :data:`OFF_WHEN_ABSENT`: they change what a trained model reads rather than undo an obfuscation,
    so they stay off for the models saved before them."""

    enabled: bool = True
    unicode: bool = True
    urls: bool = True
    mentions: bool = True
    hashtags: bool = True
    elongation: bool = True
    slang: bool = True
    keycaps: bool = True
    enclosed: bool = True
    combining: bool = True
    homoglyphs: bool = True
    spaced_letters: bool = True
    leetspeak: bool = True
    random_case: bool = True
    punctuation: bool = True
    emoji_spacing: bool = True

    def to_dict(self) -> dict[str, bool]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> NormalizationConfig:
        if not d:
            return cls()
        known = {k: bool(v) for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    @classmethod
    def without_evasion(cls, **kw: bool) -> NormalizationConfig:
        """The normaliser as it was before the anti-obfuscation steps (all of ``EVASION_STEPS`` off)."""
        return cls(**{**dict.fromkeys(EVASION_STEPS, False), **kw})


# --------------------------------------------------------------------------- lexicon

LEXICON_PATH = Path(__file__).resolve().parent / "resources" / "lexicon.txt.gz"


@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, int]:
    """Lower-case words (and real letter+digit tokens such as ``p3k``) the obfuscation steps may
    restore to, each with its frequency tier (0: seen under 10 times ... 4: 10,000+ times), which
    breaks ties ("d4l4m" is "dalam", not the rare "daiam"). Empty when the resource is missing
    (then only runs of 3+ spaced letters are joined)."""
    words: dict[str, int] = {}
    try:
        with gzip.open(LEXICON_PATH, "rt", encoding="utf-8") as fh:
            tier = 0
            for line in fh.read().split("\n"):
                if line.startswith("# tier "):
                    tier = int(line[7:])
                elif line:
                    words[line] = tier
    except FileNotFoundError:
        pass
    return words


def load_slang_tsv(path: str | os.PathLike) -> dict[str, str]:
    """An informal -> formal word table from a two-column TSV with a header (e.g. the indo-collex
    dictionary, which the project does not ship); single lower-case words only. Pass the result
    as ``Normalizer(slang=...)``: the built-in :data:`SLANG` entries take precedence."""
    out: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows, None)
        for row in rows:
            if len(row) >= 2:
                key, value = row[0].strip().lower(), row[1].strip()
                if key.isalpha() and value and value.lower() != key:
                    out[key] = value
    return out


# Two-letter words a spaced-out run ("n o") or a segmentation piece may be; any longer word of
# the lexicon may be (the lexicon's two-letter entries are mostly abbreviations and noise).
COMMON2 = frozenset({"di", "ke", "ya", "no", "si", "tu", "ni", "lu", "gw", "yg", "dr", "jg", "sm", "tp", "pd",
                     "jd", "bu", "om", "mu", "ku", "ga", "gk", "ok"})

# --------------------------------------------------------------------------- character tables

_LEET = {"0": "o", "1": "il", "3": "e", "4": "a", "5": "s", "6": "gb", "7": "t", "8": "b", "9": "g",
         "@": "a", "$": "s", "€": "e", "|": "il", "!": "i"}
_MAX_COMBOS = 64


def _build_enclosed() -> dict[str, str]:
    t: dict[str, str] = {}

    def run(first: int, values) -> None:
        for k, v in enumerate(values):
            t[chr(first + k)] = str(v)

    upper, lower = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
    run(0x2460, range(1, 21))   # ① .. ⑳
    run(0x2474, range(1, 21))   # ⑴ .. ⒇
    run(0x2488, range(1, 21))   # ⒈ .. ⒛
    run(0x249C, lower)          # ⒜ .. ⒵
    run(0x24B6, upper)          # Ⓐ .. Ⓩ
    run(0x24D0, lower)          # ⓐ .. ⓩ
    run(0x24EA, [0])            # ⓪
    run(0x24EB, range(11, 21))  # ⓫ .. ⓴
    run(0x24F5, range(1, 11))   # ⓵ .. ⓾
    run(0x24FF, [0])            # ⓿
    run(0x2776, range(1, 11))   # ❶ .. ❿
    run(0x2780, range(1, 11))   # ➀ .. ➉
    run(0x278A, range(1, 11))   # ➊ .. ➓
    run(0x3251, range(21, 36))  # ㉑ .. ㉟
    run(0x32B1, range(36, 51))  # ㊱ .. ㊿
    run(0x1F100, range(0, 11))  # 🄀 (0.) 🄁 .. 🄊 (0, .. 9,)
    t["\U0001F100"] = "0"
    run(0x1F10B, [0, 0])        # 🄋 🄌
    run(0x1F110, upper)         # 🄐 .. 🄩 (parenthesised)
    run(0x1F130, upper)         # 🄰 .. 🅉 (squared)
    run(0x1F150, upper)         # 🅐 .. 🅩 (negative circled)
    run(0x1F170, upper)         # 🅰 .. 🆉 (negative squared)
    for k in range(10):         # 🄁 .. 🄊 are "digit comma"
        t[chr(0x1F101 + k)] = str(k)
    return t


_ENCLOSED = _build_enclosed()

# Look-alikes of Latin letters (after NFKC), as look-alike + letter pairs; one character each so the
# offset map is untouched.
_CONFUSABLES = dict(re.findall(r"(\S)(\S)",
    # Cyrillic
    "аa еe оo рp сc хx іi јj ѕs һh ԁd ԛq ԝw үy ӏl вb "
    "кk мm нh пn тt уy ъb ьb шw ёe "
    # Cyrillic capitals
    "АA ВB СC ЕE НH ІI ЈJ КK МM ОO РP ЅS ТT ХX УY ҮY "
    "ԜW ԚQ ӀI ЁE Ьb "
    # Greek (ς: NFKC turns the lunate sigma ϲ into it)
    "αa βb γy εe ηn ιi κk νv οo ρp σo τt υu χx ωw "
    "ςc ϳj "
    # Greek capitals
    "ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX "
    # Latin small capitals and other Latin look-alikes NFKC keeps
    "ıi ȷj ɑa ɡg ɩi ᴀa ʙb ᴄc ᴅd ᴇe ꜰf ɢg ʜh ɪi ᴊj ᴋk "
    "ʟl ᴍm ɴn ᴏo ᴘp ǫq ʀr ꜱs ᴛt ᴜu ᴠv ᴡw ʏy ᴢz "
    # Armenian
    "օo սu հh ոn "
))
assert all(len(k) == 1 and len(v) == 1 for k, v in _CONFUSABLES.items())
_CONF_TRANS = str.maketrans(_CONFUSABLES)
_CONF_CLASS = "[" + "".join(sorted(_CONFUSABLES)) + "]"
_CONF_ANY = re.compile(_CONF_CLASS)
_CONF_WORD = re.compile(rf"(?<![^\W\d_])[^\W\d_]*?{_CONF_CLASS}[^\W\d_]*")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u1d00-\u1d2b\u1e00-\u1eff\ua730-\ua7ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1d00-\u1d2b\u1e00-\u1eff\ua730-\ua7ff]")


def _is_combining(cp: int) -> bool:
    return (0x300 <= cp <= 0x36F or 0x1AB0 <= cp <= 0x1AFF or 0x1DC0 <= cp <= 0x1DFF
            or 0x20D0 <= cp <= 0x20FF or 0xFE20 <= cp <= 0xFE2F)


# per-character classification for the unicode pass
_PLAIN, _DROP, _SPACE, _MARK, _KEYCAP, _VS16, _ENCL = range(7)
_CHAR_CACHE: dict[str, tuple[int, str, str]] = {}


def _char_info(ch: str) -> tuple[int, str, str]:
    info = _CHAR_CACHE.get(ch)
    if info is not None:
        return info
    nfkc = unicodedata.normalize("NFKC", ch)
    if ch.isascii():  # only the non-printable ones get here
        info = (_SPACE, " ", "")
    elif ch == "\u20e3":
        info = (_KEYCAP, nfkc, "")
    elif ch == "\ufe0f":
        info = (_VS16, nfkc, "")
    else:
        cat = unicodedata.category(ch)
        if cat == "Cf":  # zero-width space/joiners, BOM, bidi marks
            info = (_DROP, "", "")
        elif cat in ("Cc", "Cs", "Co", "Cn"):
            info = (_SPACE, " ", "")
        elif cat[0] == "M" and _is_combining(ord(ch)):
            info = (_MARK, nfkc, "")
        elif ch in _ENCLOSED:
            info = (_ENCL, nfkc, _ENCLOSED[ch])
        else:
            info = (_PLAIN, nfkc, "")
    if len(_CHAR_CACHE) < 65536:
        _CHAR_CACHE[ch] = info
    return info


# --------------------------------------------------------------------------- regexes

_URL = r"(?:https?://|www\.)[^\s<>\"']+"
_TAG = r"[@#][^\W_][\w]*"
_WORD = r"[^\W\d_]+(?:2)?"  # letters, optionally the Indonesian reduplication "2" (ibu2)
_PATTERN = re.compile(f"(?P<url>{_URL})|(?P<tag>{_TAG})|(?P<word>{_WORD})", re.UNICODE)
_CAMEL = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_CASE_SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_DIGITS_OR_NOT = re.compile(r"\d+|\D+")
_ELONG = re.compile(r"([^\W\d_])\1{2,}", re.UNICODE)
_NON_PLAIN = re.compile(r"[^\x20-\x7e\n\t]+")


@functools.lru_cache(maxsize=1)
def _symbol_edges() -> re.Pattern:
    """Where a letter or digit meets an emoji or other pictographic symbol (Unicode So/Sk from
    U+2000 on), either way round; a variation selector or keycap mark stays with the character
    before it (``2️⃣`` is one keycap, ``✌️dia`` is cut after the selector)."""
    ranges, start = [], None
    for cp in range(0x2000, 0x20000):
        sym = unicodedata.category(chr(cp)) in ("So", "Sk")
        if sym and start is None:
            start = cp
        elif not sym and start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
            start = None
    sym = "[" + "".join(ranges) + "]"
    after = "[" + "".join(ranges) + "\ufe0e\ufe0f\u20e3]"
    return re.compile(rf"(?<=[^\W_]){sym}|(?<={after})[^\W_]")


def _emoji_spacing_pass(s: str, S: list[int], E: list[int]) -> Stage:
    """A space (with no source characters) between a word and a symbol written against it."""
    cuts = [m.start() for m in _symbol_edges().finditer(s)]
    if not cuts:
        return s, S, E
    b = _Builder()
    pos = 0
    for i in cuts:
        b.copy(s, S, E, pos, i)
        b.insert(" ", S[i])
        pos = i
    b.copy(s, S, E, pos, len(s))
    return b.text(), b.starts, b.ends

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
_PUNCT_RUN = re.compile(r"[!?]{2,}|\.{4,}|([,;~*])\1+")
_PUNCT_HINT = re.compile(r"[!?.,;~*]{2}")
# three or more words joined by dots ("CoBlOs.NoMoR.2"): not a host name or a file name
_DOT_HINT = re.compile(r"\.[^\W_]+\.[^\W_]")
_DOT_CHAIN = re.compile(r"(?<![\w/@.])[^\W\d_]{2,}(?:\.[^\W_]+){2,}(?![\w/@]|\.[^\W_])")
_NOT_WORDS = frozenset({"www", "com", "id", "net", "org", "co", "go", "ac", "sch", "ly", "io", "me", "info", "gov",
                        "edu", "my", "sg", "html", "php", "pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png",
                        "mp4", "txt", "uk", "au"})


# --------------------------------------------------------------------------- text with offsets


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


Stage = tuple[str, list[int], list[int]]  # text, starts, ends (ranges in the original)


def _unicode_pass(text: str, cfg: NormalizationConfig) -> Stage:
    if _NON_PLAIN.search(text) is None:  # printable ASCII, newlines and tabs: nothing to do
        return _identity(text)
    b = _Builder()
    pos = 0
    for m in _NON_PLAIN.finditer(text):
        a, z = m.span()
        if a > pos:
            b.parts.append(text[pos:a])
            b.starts += range(pos, a)
            b.ends += range(pos + 1, a + 1)
        for i in range(a, z):
            ch = text[i]
            kind, nfkc, enclosed = _char_info(ch)
            if cfg.keycaps and (kind == _KEYCAP or (kind == _VS16 and text[i + 1 : i + 2] == "\u20e3")):
                if b.ends:  # the keycap becomes part of the digit it frames
                    b.ends[-1] = i + 1
                continue
            if kind == _MARK and cfg.combining:
                if b.ends:  # the mark stays in the range of the character it sits on
                    b.ends[-1] = i + 1
                continue
            if kind == _ENCL and cfg.enclosed:
                b.add(enclosed, i, i + 1)
            elif not cfg.unicode:
                b.add(ch, i, i + 1)
            elif kind != _DROP:
                b.add(nfkc, i, i + 1)
        pos = z
    if pos < len(text):
        b.parts.append(text[pos:])
        b.starts += range(pos, len(text))
        b.ends += range(pos + 1, len(text) + 1)
    return b.text(), b.starts, b.ends


def _homoglyph_pass(s: str, words: Callable[[], Mapping[str, int]]) -> str:
    """Latin look-alikes to Latin, in words that become all-Latin (same length: offsets unchanged).
    A word with no Latin letter at all ("сосна") changes only when it becomes a lexicon word."""
    if _CONF_ANY.search(s) is None:
        return s
    parts, pos = [], 0
    for m in _CONF_WORD.finditer(s):
        word = m.group()
        latin = word.translate(_CONF_TRANS)
        if _NON_LATIN.search(latin) is None and (_LATIN.search(word) or latin.lower() in words()):
            parts += [s[pos : m.start()], latin]
            pos = m.end()
    parts.append(s[pos:])
    return "".join(parts)


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


class Normalizer:
    """Normalizes text for the model and keeps the offset map (see module docstring).

    ``words``: extra words for the lexicon (e.g. local candidate names); ``slang``: an extra
    informal -> formal table (e.g. :func:`load_slang_tsv`), below the built-in :data:`SLANG`.
    """

    def __init__(self, config: NormalizationConfig | None = None, words: Iterable[str] | None = None,
                 slang: Mapping[str, str] | None = None):
        self.config = config or NormalizationConfig()
        self._extra_words = dict.fromkeys((w.lower() for w in words), 4) if words else {}
        self._words: Words | None = None
        self.slang = {**{k.lower(): v for k, v in slang.items()}, **SLANG} if slang else SLANG

    @property
    def words(self) -> Words:
        if self._words is None:
            self._words = {**lexicon(), **self._extra_words} if self._extra_words else lexicon()
        return self._words

    def __call__(self, text: str) -> NormalizedText:
        return self.normalize(text)

    def normalize(self, text: str) -> NormalizedText:
        if not isinstance(text, str):
            raise TypeError(f"expected str, got {type(text).__name__}")
        cfg = self.config
        if not cfg.enabled:
            return NormalizedText(text, *_identity(text))
        if cfg.unicode or cfg.keycaps or cfg.enclosed or cfg.combining:
            s, S, E = _unicode_pass(text, cfg)
        else:
            s, S, E = _identity(text)
        if cfg.homoglyphs:
            s = _homoglyph_pass(s, lambda: self.words)
        if cfg.emoji_spacing and not s.isascii():
            s, S, E = _emoji_spacing_pass(s, S, E)
        if cfg.spaced_letters and _SPACED_HINT.search(s):
            s, S, E = self._spaced_pass(s, S, E)
        if cfg.leetspeak and _LEET_HINT.search(s):
            s, S, E = self._leet_pass(s, S, E)
        if cfg.punctuation:
            if _PUNCT_HINT.search(s):
                s, S, E = _punctuation_pass(s, S, E)
            if _DOT_HINT.search(s):
                s = _DOT_CHAIN.sub(_unchain, s)
        return self._lexical_pass(NormalizedText(text, s, S, E))

    # ----------------------------------------------------------------- spaced-out letters
    def _spaced_plan(self, xs: str, after: str, dots: bool, bounded: bool) -> list[Piece] | None:
        """How to join the letters ``xs`` of one spaced-out group: ``(start, end, word)`` pieces
        (the lexicon's reading: one word, a word and a number, or several words when the writer
        left no word boundary), or None to leave them as they are."""
        low = xs.lower()
        letters = sum(c.isalpha() for c in low)
        if letters == 0:
            return None
        if len(low) == 2 and not low.isalpha():
            return None  # "5 m", "H-1"
        abbreviation = dots and after == "."  # "S.H.", "a.n.", "G.A."
        if bounded:  # the writer marked word boundaries ("p i l i h  n o"): one group, one word if it is one
            w = low if low in self.words else _decode(low, self.words)
            if w is None and low.endswith("2") and len(low) >= 4:  # "g u r u 2": the reduplication "guru2"
                w = _decode(low[:-1], self.words)
                w = w + "2" if w is not None and len(w) >= 3 else None
            if _piece_ok(w) and (not abbreviation or len(w) >= 4):
                return [(0, len(xs), w)]
        pieces = _segment(low, self.words, digits=True)
        if pieces and len(pieces) > 1 and not _trusted(pieces, self.words):
            pieces = None
        if abbreviation:  # only a long word: "D.P.R.D." -> "DPRD."
            return pieces if pieces and len(pieces) == 1 and len(low) >= 4 else None
        if pieces:
            return pieces
        if letters >= 3:
            return [(0, len(xs), low)]
        if len(low) == 2 and low.isalpha() and low in self.words:  # "R T", "s.d": a two-letter word
            return [(0, 2, low)]
        return None

    def _spaced_pass(self, s: str, S: list[int], E: list[int]) -> Stage:
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
            plans = [self._spaced_plan("".join(s[i] for i in g), s[g[-1] + 1 : g[-1] + 2], letter_sep == ".",
                                       len(groups) > 1) if len(g) > 1 else None for g in groups]
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

    # ----------------------------------------------------------------- leetspeak
    def _leet_plan(self, core: str) -> list[tuple[int, int, str, bool]] | None:
        """How to read a token with digits/symbols among its letters: ``(start, end, word,
        space_before)`` pieces, or None to leave it alone."""
        low = core.lower()
        words = self.words
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

    def _leet_pass(self, s: str, S: list[int], E: list[int]) -> Stage:
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
            plan = self._leet_plan(core)
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

    # ----------------------------------------------------------------- hashtags, words
    def _split_tag(self, body: str) -> list[tuple[str, bool]]:
        """Split a hashtag/mention body into pieces; returns (piece, inserted_space_before)."""
        pieces = []
        for j, chunk in enumerate(body.split("_")):
            subs = [x for x in _CAMEL.split(chunk) if x]
            if self.config.random_case and len(subs) > 1:
                subs = [p for run in _DIGITS_OR_NOT.findall(chunk) for p in self._case_pieces(run)]
            for k, sub in enumerate(subs):
                pieces.append((sub, j > 0 or k > 0))
        return pieces

    def _case_pieces(self, run: str) -> list[str]:
        """Camel-case pieces of a letter run ("LanjutTerus"), or, when its case is random
        ("CoBlOsNoMoR", "LanJutterus"), the lexicon words it is made of (unsplit when it is not)."""
        camel = [x for x in _CASE_SPLIT.split(run) if x]
        if run[0].isdigit() or len(camel) == 1:
            return camel
        words = self.words
        proper = all(p[1:].islower() or p.isupper() for p in camel)  # "LanjutTerus", "GenZ", "ASNbelajar"
        if proper and all(p.lower() in words for p in camel):
            return camel
        cut = _segment(run.lower(), words)
        if not _trusted(cut, words):
            return camel if proper else [run]
        if proper and all(len(p) >= 3 for p in camel) and len(cut) != len(camel):
            return camel  # real camel case with a word the lexicon lacks: "#RecehkanTwitter"
        return [run[i:j] for i, j, _ in cut]

    def _lexical_pass(self, stage: NormalizedText) -> NormalizedText:
        cfg = self.config
        s, S, E = stage.text, stage.starts, stage.ends
        b = _Builder()

        def src(a: int, z: int) -> tuple[int, int]:
            return S[a], E[z - 1]

        pos = 0
        for m in _PATTERN.finditer(s):
            a, z = m.span()
            b.copy(s, S, E, pos, a)
            pos = z
            kind = m.lastgroup
            if kind == "url" and cfg.urls:
                b.add("url", *src(a, z))
            elif kind == "tag" and ((s[a] == "#" and cfg.hashtags) or (s[a] == "@" and cfg.mentions)):
                b.copy(s, S, E, a, a + 1)
                off = a + 1
                for piece, space in self._split_tag(s[a + 1 : z]):
                    start = s.index(piece, off)
                    if space:
                        b.insert(" ", S[start])
                    b.copy(s, S, E, start, start + len(piece))
                    off = start + len(piece)
            elif kind == "word":
                self._word(s[a:z], a, b, S, E)
            else:
                b.copy(s, S, E, a, z)
        b.copy(s, S, E, pos, len(s))
        return NormalizedText(stage.original, b.text(), b.starts, b.ends)

    def _word(self, word: str, a: int, b: _Builder, S: list[int], E: list[int]) -> None:
        cfg = self.config
        if not (cfg.elongation and _ELONG.search(word)):
            if cfg.slang:
                low = word.lower()
                repl = self.slang.get(low)
                if repl is not None and repl != low:
                    b.add(repl, S[a], E[a + len(word) - 1])
                    return
            b.copy(word, S[a : a + len(word)], E[a : a + len(word)], 0, len(word))
            return
        # characters of the squashed word with their source ranges in the original
        chars: list[tuple[str, int, int]] = []
        i = 0
        for m in _ELONG.finditer(word):
            for j in range(i, m.start()):
                chars.append((word[j], S[a + j], E[a + j]))
            chars.append((m.group(1), S[a + m.start()], E[a + m.end() - 1]))
            i = m.end()
        for j in range(i, len(word)):
            chars.append((word[j], S[a + j], E[a + j]))
        squashed = "".join(c for c, _, _ in chars)
        if cfg.slang:
            repl = self.slang.get(squashed.lower())
            if repl is not None and repl != squashed.lower():
                b.add(repl, chars[0][1], chars[-1][2])
                return
        b.parts.append(squashed)
        b.starts += [x for _, x, _ in chars]
        b.ends += [y for _, _, y in chars]


def _unchain(m: re.Match) -> str:
    """Spaces for the dots of a chain of words (same length: offsets unchanged)."""
    parts = m.group().lower().split(".")
    return m.group() if any(p in _NOT_WORDS for p in parts) else m.group().replace(".", " ")


def _punctuation_pass(s: str, S: list[int], E: list[int]) -> Stage:
    b = _Builder()
    pos = 0
    for m in _PUNCT_RUN.finditer(s):
        a, z = m.span()
        b.copy(s, S, E, pos, a)
        b.add("..." if s[a] == "." else s[a], S[a], E[z - 1])
        pos = z
    b.copy(s, S, E, pos, len(s))
    return b.text(), b.starts, b.ends


def normalize(text: str, config: NormalizationConfig | None = None) -> NormalizedText:
    """Normalize one text with the default (or given) settings."""
    return Normalizer(config).normalize(text)
