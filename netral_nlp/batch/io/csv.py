"""CSV (and ``.csv.gz``) input, CSV output."""
from __future__ import annotations

import csv
import io

from ...errors import UsageError
from .base import FileWriter, Reader, clean, open_binary


class CsvReader(Reader):
    """Python's ``csv`` module over the bytes decoded with ``surrogateescape``: invalid UTF-8
    survives as lone surrogates (so that row gets an error), and a record with the wrong number
    of fields becomes an error row instead of being dropped or silently padded."""

    def __init__(self, *args):
        super().__init__(*args)
        if csv.field_size_limit() < 2**31 - 1:  # long texts are capped by max_chars, not here
            csv.field_size_limit(2**31 - 1)
        self._fh = open_binary(self.path, self.gz)
        self._text = io.TextIOWrapper(self._fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
        self._csv = csv.reader(self._text, strict=False)
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
            yield rec[ti], (clean(rec[ii]) if ii is not None else None), None

    def close(self) -> None:
        self._fh.close()


class CsvWriter(FileWriter):
    def _header(self) -> None:
        w = csv.writer(self.fh, lineterminator="\n")
        w.writerow(self.columns)

    def write(self, frame) -> None:
        frame.to_csv(self.fh, header=False, index=False, lineterminator="\n")
