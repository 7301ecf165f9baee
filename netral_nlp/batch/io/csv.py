"""CSV and tab-separated (``.tsv``, ``.txt``; and gzipped) input, CSV and TSV output."""
from __future__ import annotations

import csv
import io
import itertools

from ...errors import UsageError
from .base import FileWriter, Reader, clean, open_binary
from .encoding import Decoding, detect


class CsvReader(Reader):
    """Python's ``csv`` module over the bytes decoded (:mod:`.encoding`) with ``surrogateescape``:
    bytes that do not decode survive as lone surrogates (so that row gets an error, unless the
    decoding's fallback reads it), and a record with the wrong number of fields becomes an error
    row instead of being dropped or silently padded. The delimiter is ``,`` (``\\t`` for TSV); a
    ``.csv`` whose header has tabs or semicolons and no comma is read with that one (Excel's
    "Unicode Text" renamed, or a CSV saved where the decimal mark is a comma)."""

    delimiter = ","

    def __init__(self, *args, decoding: Decoding | None = None):
        super().__init__(*args)
        if csv.field_size_limit() < 2**31 - 1:  # long texts are capped by max_chars, not here
            csv.field_size_limit(2**31 - 1)
        self.decoding = decoding or detect(self.path, self.gz)
        self._fh = open_binary(self.path, self.gz)
        self._text = io.TextIOWrapper(self._fh, encoding=self.decoding.codec, errors="surrogateescape", newline="")
        first = self._text.readline()
        self.delimiter = _delimiter(first, self.delimiter)
        self._csv = csv.reader(itertools.chain([first], self._text), delimiter=self.delimiter, strict=False)
        try:
            header = next(self._csv)
        except StopIteration:
            self.close()
            raise UsageError(f"{self.path}: empty CSV file (no header row)") from None
        except csv.Error as err:
            self.close()
            raise UsageError(f"{self.path}: cannot read the CSV header: {err}") from err
        self.columns = [clean(h) for h in header]

    def rows(self):
        n = len(self.columns)
        ti = self.columns.index(self.text_column)
        ii = self.columns.index(self.id_name) if self.id_name in self.columns else None
        reader = self._csv
        while True:
            line = reader.line_num + 1
            try:
                rec = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                yield None, None, f"malformed CSV row: line {line}: {err}"
                continue
            if not rec:  # blank line: not a row
                continue
            if len(rec) != n:  # keep the id when the record has that field: it helps find the row
                rid = clean(rec[ii]) if ii is not None and ii < len(rec) else None
                yield None, rid, f"malformed CSV row: line {line}: expected {n} fields, got {len(rec)}"
                continue
            if self.decoding.fallback:
                rec = self.decoding.repair_row(rec)
            yield rec[ti], (clean(rec[ii]) if ii is not None else None), None

    def close(self) -> None:
        self._fh.close()


class TsvReader(CsvReader):
    delimiter = "\t"


def _delimiter(header: str, default: str) -> str:
    if default == "," and "," not in header:
        for d in ("\t", ";"):
            if d in header:
                return d
    return default


class CsvWriter(FileWriter):
    delimiter = ","

    def _header(self) -> None:
        w = csv.writer(self.fh, lineterminator="\n", delimiter=self.delimiter)
        w.writerow(self.columns)

    def write(self, frame) -> None:
        frame.to_csv(self.fh, header=False, index=False, lineterminator="\n", sep=self.delimiter)


class TsvWriter(CsvWriter):
    delimiter = "\t"
