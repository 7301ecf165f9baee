"""File formats of ``netral score``, one Reader/Writer module each (``csv``, ``jsonl``,
``parquet``), chosen by file extension."""
from __future__ import annotations

import os
from pathlib import Path

from ...errors import UsageError
from .base import Reader
from .csv import CsvReader, CsvWriter
from .jsonl import JsonlReader, JsonlWriter
from .parquet import ParquetReader, ParquetWriter

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
READERS: dict[str, type[Reader]] = {"csv": CsvReader, "jsonl": JsonlReader, "parquet": ParquetReader}
WRITERS: dict[str, type] = {"csv": CsvWriter, "jsonl": JsonlWriter, "parquet": ParquetWriter}


def detect_format(path: str | os.PathLike) -> tuple[str, bool]:
    """(``csv`` | ``jsonl`` | ``parquet``, gzipped) from the file name."""
    name = Path(path).name.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    for ext, fmt in FORMATS.items():
        if name.endswith(ext):
            if gz and fmt == "parquet":
                raise UsageError(f"{path}: gzip-compressed Parquet is not supported (Parquet is compressed already)")
            return fmt, gz
    raise UsageError(f"{path}: unknown file type; use .csv, .jsonl/.ndjson or .parquet "
                     "(.csv.gz and .jsonl.gz for input)")
