"""JSON Lines (and ``.jsonl.gz``) input, JSON Lines output."""
from __future__ import annotations

import contextlib
import io
import itertools
import json
import math

from ..rows import MISSING, one_line
from .base import FileWriter, Reader, open_binary
from .encoding import Decoding, detect


class JsonlReader(Reader):
    """One JSON object a line, read line by line (decoded as :mod:`.encoding` says): a malformed
    line becomes one error row."""

    def __init__(self, *args, decoding: Decoding | None = None):
        super().__init__(*args)
        self.decoding = decoding or detect(self.path, self.gz)
        self._fh = open_binary(self.path, self.gz)

    def _lines(self):
        text = io.TextIOWrapper(self._fh, encoding=self.decoding.codec, errors="surrogateescape", newline="\n")
        for lineno, line in enumerate(text, 1):
            if lineno == 1 and line.startswith("\ufeff"):
                line = line[1:]
            if self.decoding.fallback:
                line = self.decoding.repair_row([line])[0]
            yield lineno, line

    def keys(self, max_lines: int = 100) -> list[str]:
        """The keys of the objects on the first ``max_lines`` lines, in order of first appearance."""
        keys: dict[str, None] = {}
        with open_binary(self.path, self.gz) as fh:
            text = io.TextIOWrapper(fh, encoding=self.decoding.codec, errors="surrogateescape", newline="\n")
            for line in itertools.islice(text, max_lines):
                with contextlib.suppress(ValueError, RecursionError):
                    obj = json.loads(line.lstrip("\ufeff"))
                    if isinstance(obj, dict):
                        keys.update(dict.fromkeys(k for k in obj if isinstance(k, str)))
        return list(keys)

    def rows(self):
        for lineno, line in self._lines():
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
