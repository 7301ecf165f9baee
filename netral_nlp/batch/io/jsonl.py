"""JSON Lines (and ``.jsonl.gz``) input, JSON Lines output."""
from __future__ import annotations

import json
import math

from ..rows import MISSING, one_line
from .base import FileWriter, Reader, open_binary


class JsonlReader(Reader):
    """One JSON object a line, read line by line: a malformed line becomes one error row."""

    def __init__(self, *args):
        super().__init__(*args)
        self._fh = open_binary(self.path, self.gz)

    def rows(self):
        for lineno, raw in enumerate(self._fh, 1):
            line = raw.decode("utf-8", "surrogateescape")
            if lineno == 1 and line.startswith("\ufeff"):
                line = line[1:]
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                yield None, None, f"malformed JSON: line {lineno}: {err.msg} at column {err.colno}"
                continue
            except (ValueError, RecursionError) as err:
                yield None, None, f"malformed JSON: line {lineno}: {one_line(err)}"
                continue
            if not isinstance(obj, dict):
                yield None, None, f"malformed JSON: line {lineno}: a {type(obj).__name__}, not an object"
                continue
            yield obj.get(self.text_column, MISSING), obj.get(self.id_name), None

    def close(self) -> None:
        self._fh.close()


def _json_value(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


class JsonlWriter(FileWriter):
    def write(self, frame) -> None:
        cols = [frame[c].tolist() for c in self.columns]
        lines = [json.dumps({c: _json_value(v) for c, v in zip(self.columns, vals)}, ensure_ascii=False,
                            default=str) for vals in zip(*cols)]
        if lines:
            self.fh.write("\n".join(lines) + "\n")
