"""File formats of ``netral score``, one Reader/Writer module each (``csv`` (and TSV), ``jsonl``,
``parquet``, ``xlsx``), chosen by file extension; :mod:`.encoding` finds how text input is encoded."""
from __future__ import annotations

import os
from pathlib import Path

from ...errors import UsageError
from ...i18n import msg
from .base import Reader
from .csv import CsvReader, CsvWriter, TsvReader, TsvWriter
from .jsonl import JsonlReader, JsonlWriter
from .parquet import ParquetReader, ParquetWriter
from .xlsx import XlsxReader, XlsxWriter

FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
           ".parquet": "parquet", ".xlsx": "xlsx"}
READERS: dict[str, type[Reader]] = {"csv": CsvReader, "tsv": TsvReader, "jsonl": JsonlReader,
                                    "parquet": ParquetReader, "xlsx": XlsxReader}
WRITERS: dict[str, type] = {"csv": CsvWriter, "tsv": TsvWriter, "jsonl": JsonlWriter, "parquet": ParquetWriter,
                            "xlsx": XlsxWriter}
TEXT_FORMATS = ("csv", "tsv", "jsonl")  # decoded as netral_nlp.batch.io.encoding says


def detect_format(path: str | os.PathLike) -> tuple[str, bool]:
    """(``csv`` | ``tsv`` | ``jsonl`` | ``parquet`` | ``xlsx``, gzipped) from the file name."""
    name = Path(path).name.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    if name.endswith((".xls", ".xlsm", ".xlsb")):
        raise UsageError(f"{path}: only .xlsx workbooks are read and written; save it as .xlsx (or .csv)")
    for ext, fmt in FORMATS.items():
        if name.endswith(ext):
            if gz and fmt in ("parquet", "xlsx"):
                raise UsageError(f"{path}: gzip-compressed {'Parquet' if fmt == 'parquet' else 'Excel'} is not "
                                 "supported (it is compressed already)")
            return fmt, gz
    raise UsageError(msg("err.unknown_type", path=path))
