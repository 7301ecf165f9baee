"""Indonesian social-media normalization that keeps a map back to the original characters.

The model sees the normalized text; every normalized character remembers the half-open range
of ORIGINAL characters it came from, so spans found in normalized text map back exactly.

What it does (each step can be switched off in :class:`NormalizationConfig`):

* unicode: per-character NFKC (fancy "𝐇𝐞𝐧𝐝𝐫𝐚" letters become "Hendra"), drops zero-width and
  other format characters, turns control characters and lone surrogates into spaces;
* urls: ``https://...`` / ``www....`` become the word ``url``;
* mentions / hashtags: ``@HendraSaputra`` -> ``@Hendra Saputra``, ``#LanjutTerus02`` ->
  ``#Lanjut Terus 02`` (camel case, digits and underscores split);
* elongation: runs of three or more identical letters shrink to one ("bangeeet" -> "banget");
* slang: common abbreviations are expanded ("yg" -> "yang", "gk" -> "gak", "utk" -> "untuk").

Lower-casing is left to the tokenizer (IndoBERT's is uncased), which keeps its own offsets.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import asdict, dataclass

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

_URL = r"(?:https?://|www\.)[^\s<>\"']+"
_TAG = r"[@#][^\W_][\w]*"
_WORD = r"[^\W\d_]+(?:2)?"  # letters, optionally the Indonesian reduplication "2" (ibu2)
_PATTERN = re.compile(f"(?P<url>{_URL})|(?P<tag>{_TAG})|(?P<word>{_WORD})", re.UNICODE)
_CAMEL = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_ELONG = re.compile(r"([^\W\d_])\1{2,}", re.UNICODE)


@dataclass(frozen=True)
class NormalizationConfig:
    """Switches for each normalization step; stored in a model's ``config.json``."""

    enabled: bool = True
    unicode: bool = True
    urls: bool = True
    mentions: bool = True
    hashtags: bool = True
    elongation: bool = True
    slang: bool = True

    def to_dict(self) -> dict[str, bool]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> NormalizationConfig:
        if not d:
            return cls()
        known = {k: bool(v) for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)


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

    def add_each(self, s: str, offsets: list[tuple[int, int]]) -> None:
        self.parts.append(s)
        for a, b in offsets:
            self.starts.append(a)
            self.ends.append(b)


def _unicode_pass(text: str) -> NormalizedText:
    b = _Builder()
    for i, ch in enumerate(text):
        if ch.isascii():
            if ch.isprintable() or ch in "\n\t":
                b.add(ch, i, i + 1)
            else:
                b.add(" ", i, i + 1)
            continue
        cat = unicodedata.category(ch)
        if cat == "Cf":  # zero-width space/joiners, BOM, bidi marks
            continue
        if cat in ("Cc", "Cs", "Co", "Cn"):
            b.add(" ", i, i + 1)
            continue
        b.add(unicodedata.normalize("NFKC", ch), i, i + 1)
    return NormalizedText(text, "".join(b.parts), b.starts, b.ends)


def _split_tag(body: str) -> list[tuple[str, bool]]:
    """Split a hashtag/mention body into pieces; returns (piece, inserted_space_before)."""
    pieces = []
    for j, chunk in enumerate(body.split("_")):
        for k, sub in enumerate(_CAMEL.split(chunk)):
            if sub:
                pieces.append((sub, j > 0 or k > 0))
    return pieces


class Normalizer:
    """Normalizes text for the model and keeps the offset map (see module docstring)."""

    def __init__(self, config: NormalizationConfig | None = None):
        self.config = config or NormalizationConfig()

    def __call__(self, text: str) -> NormalizedText:
        return self.normalize(text)

    def normalize(self, text: str) -> NormalizedText:
        if not isinstance(text, str):
            raise TypeError(f"expected str, got {type(text).__name__}")
        cfg = self.config
        if not cfg.enabled:
            n = len(text)
            return NormalizedText(text, text, list(range(n)), list(range(1, n + 1)))
        if cfg.unicode:
            stage = _unicode_pass(text)
        else:
            n = len(text)
            stage = NormalizedText(text, text, list(range(n)), list(range(1, n + 1)))
        return self._lexical_pass(stage)

    def _lexical_pass(self, stage: NormalizedText) -> NormalizedText:
        cfg = self.config
        s, S, E = stage.text, stage.starts, stage.ends
        b = _Builder()

        def copy(a: int, z: int) -> None:
            if z > a:
                b.add_each(s[a:z], list(zip(S[a:z], E[a:z])))

        def src(a: int, z: int) -> tuple[int, int]:
            return S[a], E[z - 1]

        pos = 0
        for m in _PATTERN.finditer(s):
            a, z = m.span()
            copy(pos, a)
            pos = z
            kind = m.lastgroup
            if kind == "url" and cfg.urls:
                b.add("url", *src(a, z))
            elif kind == "tag" and ((s[a] == "#" and cfg.hashtags) or (s[a] == "@" and cfg.mentions)):
                copy(a, a + 1)
                off = a + 1
                for piece, space in _split_tag(s[a + 1 : z]):
                    start = s.index(piece, off)
                    if space:
                        b.add(" ", S[start], S[start])
                    copy(start, start + len(piece))
                    off = start + len(piece)
            elif kind == "word":
                self._word(s[a:z], a, b, S, E)
            else:
                copy(a, z)
        copy(pos, len(s))
        return NormalizedText(stage.original, "".join(b.parts), b.starts, b.ends)

    def _word(self, word: str, a: int, b: _Builder, S: list[int], E: list[int]) -> None:
        cfg = self.config
        # characters of the (possibly squashed) word with their source ranges in the original
        chars: list[tuple[str, int, int]] = []
        if cfg.elongation and _ELONG.search(word):
            i = 0
            for m in _ELONG.finditer(word):
                for j in range(i, m.start()):
                    chars.append((word[j], S[a + j], E[a + j]))
                chars.append((m.group(1), S[a + m.start()], E[a + m.end() - 1]))
                i = m.end()
            for j in range(i, len(word)):
                chars.append((word[j], S[a + j], E[a + j]))
        else:
            chars = [(c, S[a + j], E[a + j]) for j, c in enumerate(word)]
        squashed = "".join(c for c, _, _ in chars)
        if cfg.slang:
            repl = SLANG.get(squashed.lower())
            if repl is not None and repl != squashed.lower():
                b.add(repl, chars[0][1], chars[-1][2])
                return
        b.add_each(squashed, [(x, y) for _, x, y in chars])


def normalize(text: str, config: NormalizationConfig | None = None) -> NormalizedText:
    """Normalize one text with the default (or given) settings."""
    return Normalizer(config).normalize(text)
