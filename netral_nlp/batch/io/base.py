"""What the readers and writers share: chunking rows into DataFrames, appending to a partial file."""
from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...errors import UsageError
from ..rows import READ_ERROR, SURROGATES


def fsync(fh) -> None:
    fh.flush()
    os.fsync(fh.fileno())


def open_binary(path: Path, gz: bool):
    return gzip.open(path, "rb") if gz else open(path, "rb")  # noqa: SIM115 (closed by the reader)


def clean(s: str) -> str:
    """Lone surrogates (invalid UTF-8 read with ``surrogateescape``) as U+FFFD."""
    return SURROGATES.sub("\ufffd", s)


class Reader:
    """Streams an input file as chunk DataFrames of exactly ``chunk_size`` rows (the last one
    shorter), with the text column, the id column and :data:`~netral_nlp.batch.rows.READ_ERROR`."""

    columns: list[str] | None = None  # None: not known before reading (JSONL)
    total: int | None = None  # number of rows when known up front (Parquet)
    id_type = None  # Arrow type of the id column (Parquet input)

    def __init__(self, path: Path, gz: bool, text_column: str, id_name: str, chunk_size: int):
        self.path, self.gz, self.text_column, self.id_name, self.chunk_size = (
            path, gz, text_column, id_name, chunk_size)

    def rows(self) -> Iterator[tuple[Any, Any, str | None]]:  # (text, id, read error)
        raise NotImplementedError

    def chunks(self):
        texts, ids, errs = [], [], []
        for t, i, e in self.rows():
            texts.append(t)
            ids.append(i)
            errs.append(e)
            if len(texts) >= self.chunk_size:
                yield self._frame(texts, ids, errs)
                texts, ids, errs = [], [], []
        if texts:
            yield self._frame(texts, ids, errs)

    def _frame(self, texts: list, ids: list, errors: list):
        import pandas as pd

        cols = {self.text_column: pd.Series(texts, dtype=object)}
        if self.id_name is not None and self.id_name != self.text_column:
            cols[self.id_name] = pd.Series(ids, dtype=object)
        cols[READ_ERROR] = pd.Series(errors, dtype=object)
        return pd.DataFrame(cols)

    def close(self) -> None:
        pass


class FileWriter:
    """Appends chunks to one partial file; the committed position is its size in bytes."""

    def __init__(self, partial: Path, columns: list[str], resume: dict | None, id_type=None):
        self.partial, self.columns = partial, columns
        if resume is None:
            if partial.is_dir():
                shutil.rmtree(partial)
            self.fh = open(partial, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed in finalize)
            self._header()
        else:
            size = resume["bytes"]
            if not partial.is_file() or partial.stat().st_size < size:
                raise UsageError(f"cannot resume: {partial} is missing or shorter than recorded; "
                                 "run again without --resume")
            with open(partial, "r+b") as fh:  # drop what was written after the last commit
                fh.truncate(size)
            self.fh = open(partial, "a", encoding="utf-8", newline="")  # noqa: SIM115
        fsync(self.fh)

    def _header(self) -> None:
        pass

    def write(self, frame) -> None:
        raise NotImplementedError

    def position(self) -> dict:
        self.fh.flush()
        return {"bytes": os.fstat(self.fh.fileno()).st_size}

    def commit(self) -> dict:
        fsync(self.fh)
        return self.position()

    def finalize(self, output: Path) -> None:
        self.fh.close()
        os.replace(self.partial, output)

    def close(self) -> None:
        if not self.fh.closed:
            self.fh.close()
