"""Mojibake repair with an exact offset map: text that went through the wrong encoding on its way
(UTF-8 read as cp1252, latin-1 or MacRoman, once or twice: ``Ã°Å¸â€˜â€¡`` -> ``👇``, ``â€¦`` ->
``…``, ``Â `` -> no-break space, ``â€œ...â€\\x9d`` -> ``“...”``) and emoji written as escaped
UTF-16 (``%uD83D%uDE02``, ``\\ud83d\\ude02`` -> ``😂``).

The repair itself is ftfy's (``fix_encoding`` and its companions only: no quote uncurling,
width folding, ligature splitting or Unicode normalisation, which the unicode step does per
character). ftfy gives the fixed text, not which characters each fixed character came from, so
the two strings are aligned (:class:`difflib.SequenceMatcher`): unchanged characters keep their
own position, and a changed block maps each repaired character to the original characters of its
UTF-8 bytes when their count matches the block (``Ã©Ã¨`` -> ``é`` from ``Ã©``, ``è`` from ``Ã¨``),
otherwise to the whole block (a doubly-encoded emoji). Only lines with two or more characters
typical of mojibake in a row are looked at, so clean text costs one regular-expression search.
"""
from __future__ import annotations

import contextlib
import difflib
import functools
import re

from .text import Stage, _Builder


def _mojibake_chars() -> str:
    """The characters bytes 0x80-0xFF become when read as cp1252, latin-1 or MacRoman."""
    chars = set()
    for enc in ("cp1252", "latin-1", "mac_roman"):
        for byte in range(0x80, 0x100):
            with contextlib.suppress(UnicodeDecodeError):  # cp1252 leaves five bytes undefined
                chars.add(bytes([byte]).decode(enc))
    return "".join(sorted(chars))


_MOJI_CLASS = "[" + re.escape(_mojibake_chars()) + "]"
_ESCAPE = r"(?:%u|\\u)[0-9A-Fa-f]{4}"
MOJIBAKE_HINT = re.compile(rf"{_MOJI_CLASS}{{2}}|Â |{_ESCAPE}")
_ESCAPES = re.compile(rf"(?:{_ESCAPE})+")
_LINE_HINT = re.compile(rf"{_MOJI_CLASS}{{2}}|Â ")
_MAX_LINE = 4000  # longer lines are repaired word by word


@functools.lru_cache(maxsize=1)
def _ftfy():
    import ftfy

    cfg = ftfy.TextFixerConfig(unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
                               fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
                               remove_control_chars=False, normalization=None, explain=False)
    return lambda s: ftfy.fix_text(s, cfg)


def _unescape(run: str) -> str | None:
    """``%uD83D%uDE02`` -> ``😂`` (None when the code units are not valid UTF-16)."""
    units = bytes.fromhex("".join(run[i + 2 : i + 6] for i in range(0, len(run), 6)))
    try:
        return units.decode("utf-16-be")
    except UnicodeDecodeError:
        return None


def _escapes_pass(s: str, S: list[int], E: list[int]) -> Stage:
    b, pos = _Builder(), 0
    for m in _ESCAPES.finditer(s):
        fixed = _unescape(m.group())
        if fixed is None:  # a lone surrogate: repair the valid pairs one escape pair at a time
            continue
        b.copy(s, S, E, pos, m.start())
        i = m.start()
        for ch in fixed:  # each character from its own escape(s): 6 characters per UTF-16 code unit
            n = 6 * len(ch.encode("utf-16-be")) // 2
            b.add(ch, S[i], E[i + n - 1])
            i += n
        pos = m.end()
    if pos == 0:
        return s, S, E
    b.copy(s, S, E, pos, len(s))
    return b.text(), b.starts, b.ends


def _aligned(b: _Builder, s: str, S: list[int], E: list[int], a: int, z: int, fixed: str) -> None:
    """Append ``fixed`` (the repair of ``s[a:z]``), each character with its original range."""
    old = s[a:z]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, fixed, autojunk=False).get_opcodes():
        if tag == "equal":
            b.copy(s, S, E, a + i1, a + i2)
        elif j2 > j1:
            new = fixed[j1:j2]
            sizes = [len(c.encode("utf-8")) for c in new]
            if i2 > i1 and sum(sizes) == i2 - i1:  # one original character per UTF-8 byte
                i = a + i1
                for c, n in zip(new, sizes):
                    b.add(c, S[i], E[i + n - 1])
                    i += n
            elif i2 > i1:
                b.add(new, S[a + i1], E[a + i2 - 1])
            else:
                b.insert(new, S[a + i1] if a + i1 < len(S) else (E[-1] if E else 0))
        # "delete": the characters are dropped; the neighbours' ranges still cover the text around them


def _mojibake_pass(s: str, S: list[int], E: list[int]) -> Stage:
    if _ESCAPES.search(s):
        s, S, E = _escapes_pass(s, S, E)
    if not _LINE_HINT.search(s):
        return s, S, E
    fix = _ftfy()
    b, pos, changed = _Builder(), 0, False
    pieces = re.finditer(r"[^\n]+", s)
    for line in pieces:
        if not _LINE_HINT.search(line.group()):
            continue
        parts = [line] if len(line.group()) <= _MAX_LINE else \
            [w for w in re.finditer(r"\S+", line.group()) if _LINE_HINT.search(w.group())]
        for part in parts:
            a = part.start() + (line.start() if part is not line else 0)
            z = a + len(part.group())
            fixed = fix(s[a:z])
            if fixed == s[a:z]:
                continue
            changed = True
            b.copy(s, S, E, pos, a)
            _aligned(b, s, S, E, a, z, fixed)
            pos = z
    if not changed:
        return s, S, E
    b.copy(s, S, E, pos, len(s))
    return b.text(), b.starts, b.ends
