"""Parquet input (streamed by row batches) and output (one part file per chunk, joined at the end)."""
from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

from ...errors import UsageError
from ..options import ROW_COLUMN
from ..rows import one_line
from .base import Reader


class ParquetReader(Reader):
    """``pyarrow.parquet.ParquetFile.iter_batches`` over the text and id columns only."""

    def __init__(self, *args):
        super().__init__(*args)
        import pyarrow.parquet as pq

        try:
            self._pf = pq.ParquetFile(self.path)
        except Exception as err:
            raise UsageError(f"{self.path}: not a readable Parquet file: {one_line(err)}") from err
        schema = self._pf.schema_arrow
        self.columns = list(schema.names)
        self.total = self._pf.metadata.num_rows
        if self.id_name in self.columns:
            import pyarrow as pa

            t = schema.field(self.id_name).type
            self.id_type = t.value_type if pa.types.is_dictionary(t) else t

    def rows(self):
        cols = [self.text_column] + ([self.id_name] if self.id_name in self.columns
                                     and self.id_name != self.text_column else [])
        for batch in self._pf.iter_batches(batch_size=self.chunk_size, columns=cols):
            texts = batch.column(self.text_column).to_pylist()
            ids = batch.column(self.id_name).to_pylist() if len(cols) > 1 else [None] * len(texts)
            for t, i in zip(texts, ids):
                yield t, i, None

    def close(self) -> None:
        self._pf.close()


def _id_to_str(v) -> str | None:
    if v is None:
        return None
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)


class ParquetWriter:
    """One part file per chunk in the partial directory; concatenated at the end."""

    def __init__(self, partial: Path, columns: list[str], resume: dict | None, id_type=None):
        import pyarrow as pa

        self.partial, self.columns = partial, columns
        key = columns[0]
        key_type = pa.int64() if key == ROW_COLUMN else (id_type or pa.string())
        self.schema = pa.schema([(key, key_type), ("label", pa.string()), ("score", pa.float64()),
                                 ("spans", pa.string()), ("error", pa.string())])
        if resume is None:
            if partial.is_dir():
                shutil.rmtree(partial)
            elif partial.exists():
                partial.unlink()
            partial.mkdir()
            self.parts = 0
        else:
            parts = resume["parts"]
            if not partial.is_dir():
                raise UsageError(f"cannot resume: {partial} is missing; run again without --resume")
            have = sorted(partial.glob("part-*.parquet"))
            for p in have[parts:]:  # written after the last commit
                p.unlink()
            if len(have) < parts:
                raise UsageError(f"cannot resume: {partial} has fewer parts than recorded; "
                                 "run again without --resume")
            self.parts = parts

    def _part(self, k: int) -> Path:
        return self.partial / f"part-{k:06d}.parquet"

    def write(self, frame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        key = self.columns[0]
        keys = frame[key].tolist()
        if key != ROW_COLUMN and pa.types.is_string(self.schema.field(key).type):
            keys = [_id_to_str(v) for v in keys]
        scores = [None if math.isnan(s) else s for s in frame["score"].tolist()]
        arrays = [pa.array(keys, type=self.schema.field(key).type),
                  pa.array(frame["label"].tolist(), type=pa.string()), pa.array(scores, type=pa.float64()),
                  pa.array(frame["spans"].tolist(), type=pa.string()),
                  pa.array(frame["error"].tolist(), type=pa.string())]
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        tmp = self.partial / f".part-{self.parts:06d}.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, self._part(self.parts))
        self.parts += 1

    def position(self) -> dict:
        return {"parts": self.parts}

    def commit(self) -> dict:
        return self.position()

    def finalize(self, output: Path) -> None:
        import pyarrow.parquet as pq

        tmp = output.with_name(output.name + ".netral-tmp")
        with pq.ParquetWriter(tmp, self.schema) as w:
            for k in range(self.parts):
                w.write_table(pq.read_table(self._part(k), schema=self.schema))
        os.replace(tmp, output)
        shutil.rmtree(self.partial)

    def close(self) -> None:
        pass
