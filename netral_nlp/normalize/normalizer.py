"""The :class:`Normalizer`: runs the passes in order, then the punctuation, URL, hashtag/mention,
elongation and slang steps, which work on whole words."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .chars import _emoji_spacing_pass, _homoglyph_pass, _unicode_pass
from .config import SLANG, NormalizationConfig, lexicon
from .evasion import _LEET_HINT, _SPACED_HINT, _leet_pass, _spaced_pass
from .intraword import _INTRA_HINT, SPACE_HINT, _intraword_pass, _space_pass
from .mojibake import MOJIBAKE_HINT, _mojibake_pass
from .segment import Words, _segment, _trusted
from .text import NormalizedText, Stage, _Builder, _compose, _identity

# --------------------------------------------------------------------------- regexes

_URL = r"(?:https?://|www\.)[^\s<>\"']+"
_TAG = r"[@#][^\W_][\w]*"
_WORD = r"[^\W\d_]+(?:2)?"  # letters, optionally the Indonesian reduplication "2" (ibu2)
_PATTERN = re.compile(f"(?P<url>{_URL})|(?P<tag>{_TAG})|(?P<word>{_WORD})", re.UNICODE)
_CAMEL = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_CASE_SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_DIGITS_OR_NOT = re.compile(r"\d+|\D+")
_ELONG = re.compile(r"([^\W\d_])\1{2,}", re.UNICODE)
_PUNCT_RUN = re.compile(r"[!?]{2,}|\.{4,}|([,;~*])\1+")
_PUNCT_HINT = re.compile(r"[!?.,;~*]{2}")
# three or more words joined by dots ("CoBlOs.NoMoR.2"): not a host name or a file name
_DOT_HINT = re.compile(r"\.[^\W_]+\.[^\W_]")
_DOT_CHAIN = re.compile(r"(?<![\w/@.])[^\W\d_]{2,}(?:\.[^\W_]+){2,}(?![\w/@]|\.[^\W_])")
_NOT_WORDS = frozenset({"www", "com", "id", "net", "org", "co", "go", "ac", "sch", "ly", "io", "me", "info", "gov",
                        "edu", "my", "sg", "html", "php", "pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png",
                        "mp4", "txt", "uk", "au"})


class Normalizer:
    """Normalizes text for the model and keeps the offset map (see the package docstring).

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
        repaired = _mojibake_pass(*_identity(text)) if cfg.mojibake and MOJIBAKE_HINT.search(text) else None
        fixed = text if repaired is None else repaired[0]
        if cfg.unicode or cfg.keycaps or cfg.enclosed or cfg.combining:
            s, S, E = _unicode_pass(fixed, cfg)
        else:
            s, S, E = _identity(fixed)
        if repaired is not None and fixed != text:
            S, E = _compose(repaired[1], repaired[2], S, E, len(text))
        if cfg.homoglyphs:
            s = _homoglyph_pass(s, lambda: self.words)
        if cfg.emoji_spacing and not s.isascii():
            s, S, E = _emoji_spacing_pass(s, S, E)
        if cfg.intraword:
            if _INTRA_HINT.search(s):
                s, S, E = _intraword_pass(s, S, E, lambda: self.words)
            if SPACE_HINT.search(s):
                s, S, E = _space_pass(s, S, E, lambda: self.words)
        if cfg.spaced_letters and _SPACED_HINT.search(s):
            s, S, E = _spaced_pass(s, S, E, lambda: self.words)
        if cfg.leetspeak and _LEET_HINT.search(s):
            s, S, E = _leet_pass(s, S, E, lambda: self.words)
        if cfg.punctuation:
            if _PUNCT_HINT.search(s):
                s, S, E = _punctuation_pass(s, S, E)
            if _DOT_HINT.search(s):
                s = _DOT_CHAIN.sub(_unchain, s)
        return self._lexical_pass(NormalizedText(text, s, S, E))

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
