"""Character-level passes: unicode (NFKC, keycaps, enclosed characters, combining marks),
Latin look-alikes (homoglyphs) and spacing around emoji; with their character tables."""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping

from .config import NormalizationConfig
from .text import Stage, _Builder, _identity

# --------------------------------------------------------------------------- character tables


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
