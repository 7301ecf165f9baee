"""Which encoding a text input (CSV, TSV, JSON Lines) is in, and what to do with rows that do not
decode: :func:`detect` and :class:`Decoding`.

Files come from Excel on Windows ("CSV (Comma delimited)" is cp1252, "Unicode Text" is UTF-16 with a
BOM and tabs), from exported spreadsheets and from scrapers. Detection, on the first MiB:

1. a byte-order mark: UTF-8, UTF-16 or UTF-32 (LE or BE);
2. valid UTF-8 (or plain ASCII): UTF-8;
3. UTF-8 on some lines and not on others (a file put together from two sources, an export appended
   to): UTF-8, and each row that is not valid UTF-8 is read as cp1252 instead;
4. otherwise the single-byte code page charset-normalizer finds among cp1252 and latin-1 (cp1252
   when it cannot tell: what Excel writes on Windows).

``--encoding`` (``encoding=``) overrides it; then nothing is guessed and a row that does not decode
keeps its ``undecodable bytes`` error. Rows of a detected UTF-8 file after the first MiB that are
not UTF-8 also get the cp1252 reading, when they are valid cp1252.
"""
from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from ...errors import UsageError
from .base import open_binary

SAMPLE_BYTES = 1 << 20
ROW_FALLBACK = "cp1252"
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that did not decode, kept by "surrogateescape"
_NAMES = {"iso8859-1": "latin-1", "utf-8-sig": "utf-8"}


def _name(codec: str) -> str:
    name = codecs.lookup(codec).name
    return _NAMES.get(name, name)


@dataclass
class Decoding:
    """How a text input is decoded: ``codec`` (given to Python), ``name`` (what the summary says),
    ``how`` (``given``, ``BOM`` or ``detected``), ``fallback``: the codec tried on a row that does not
    decode (detected UTF-8 only); ``fallback_rows`` counts the rows it read."""

    codec: str
    name: str
    how: str
    fallback: str | None = None
    fallback_rows: int = 0

    def describe(self) -> str:
        extra = f"; {self.fallback_rows:,} row{'s' if self.fallback_rows != 1 else ''} {self.fallback}" \
            if self.fallback_rows else ""
        return f"{self.name} ({self.how}{extra})"

    def repair(self, value):
        """``value`` re-read with the fallback codec when it has bytes that did not decode (else as is)."""
        if self.fallback is None or not isinstance(value, str) or not _ESCAPED.search(value):
            return value
        try:
            return value.encode("utf-8", "surrogateescape").decode(self.fallback)
        except UnicodeError:  # not valid there either (or a surrogate that was not a byte): the row's error
            return value

    def repair_row(self, values: list) -> list:
        fixed = [self.repair(v) for v in values]
        if any(a is not b for a, b in zip(fixed, values)):
            self.fallback_rows += 1
        return fixed


def given(encoding: str) -> Decoding:
    """The decoding the user named (``--encoding``); a UTF-8 BOM is skipped all the same."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise UsageError(f"unknown encoding {encoding!r} (for example utf-8, cp1252, latin-1, utf-16)") from None
    codec = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "utf-32": "utf-32"}.get(name, name)
    return Decoding(codec, _NAMES.get(name, name), "given")


def detect(path: Path, gz: bool) -> Decoding:
    """The decoding of a text input, from its first MiB (see the module docstring)."""
    try:
        with open_binary(path, gz) as fh:
            sample = fh.read(SAMPLE_BYTES)
    except (OSError, EOFError, zlib.error):  # a broken gzip: the reader reports it
        return Decoding("utf-8-sig", "utf-8", "detected", ROW_FALLBACK)
    return detect_bytes(sample, complete=len(sample) < SAMPLE_BYTES)


def detect_bytes(sample: bytes, complete: bool = True) -> Decoding:
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return Decoding(codec, _name(codec), "BOM")
    lines = sample.split(b"\n")
    if not complete and len(lines) > 1:
        lines.pop()  # may end in the middle of a character
    valid = invalid = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            valid += 1
        except UnicodeDecodeError:
            invalid += 1
    if invalid == 0 or valid > 0:
        return Decoding("utf-8-sig", "utf-8", "detected", ROW_FALLBACK)
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["cp1252", "latin_1"]).best()
    if best is not None:
        codec = codecs.lookup(best.encoding).name
    else:  # too little text to tell: cp1252 when it decodes (what Excel writes), else latin-1
        try:
            sample.decode(ROW_FALLBACK)
            codec = ROW_FALLBACK
        except UnicodeDecodeError:
            codec = "iso8859-1"
    return Decoding(codec, _name(codec), "detected")
