"""Interruption and ``--resume``.

Output goes to ``OUTPUT.netral-partial`` (a file; for Parquet a directory of one part file per
chunk) and, after each chunk, a sidecar ``OUTPUT.netral-state.json`` records the rows committed,
the writer's position, the running counts and report, and a fingerprint of the run: the
input's path/size/mtime, the model and the settings. ``--resume`` checks that the fingerprint is
unchanged and continues after the last committed chunk; the final output is identical to an
uninterrupted run.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .._version import __version__
from ..errors import UsageError
from ..i18n import msg
from .options import ModelSpec, ScoreOptions

STATE_VERSION = 1


def partial_paths(output: str | os.PathLike) -> tuple[Path, Path]:
    """(partial output, state file) of a run writing ``output``."""
    out = Path(output)
    return out.with_name(out.name + ".netral-partial"), out.with_name(out.name + ".netral-state.json")


def write_json_atomic(path: Path, obj) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def file_stamp(path: Path) -> list:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def model_stamp(spec: ModelSpec) -> dict:
    """The model directory and the size/mtime of its config and weights."""
    from ..inference.hub import resolve_model_dir

    directory = resolve_model_dir(spec.name_or_path)
    stamp = {"model": str(Path(directory).resolve())}
    for name in ("config.json", "model.safetensors"):
        if (directory / name).exists():
            stamp[name] = file_stamp(directory / name)
    return stamp


def fingerprint(in_path: Path, out_path: Path, opts: ScoreOptions, key: str | None, out_fmt: str,
                classifier=None) -> dict:
    """What must not change between an interrupted run and its resumption."""
    spec = opts.model
    params = {"text_column": opts.text_column, "id_column": key, "batch_size": opts.batch_size,
              "threshold": opts.threshold, "max_length": spec.max_length, "stride": spec.stride,
              "chunk_size": opts.chunk_size, "max_chars": opts.max_chars, "quantize": spec.quantize,
              "output_format": out_fmt, "sheet": opts.sheet, "encoding": opts.encoding}
    return {"version": STATE_VERSION, "netral_nlp": __version__,
            "input": str(in_path.resolve()), "input_stamp": file_stamp(in_path),
            "output": str(out_path.resolve()), "params": params,
            "model": (model_stamp(spec) if classifier is None
                      else {"classifier": getattr(classifier, "name", repr(classifier))})}


def load_state(state_path: Path, expected: dict) -> dict | None:
    """The state of the interrupted run to resume, or None (with a note) when there is none."""
    if not state_path.is_file():
        print(f"netral: {msg('cli.nothing_to_resume', name=state_path.name)}", file=sys.stderr)
        return None
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise UsageError(f"cannot resume: {state_path} is unreadable ({err}); run again without --resume") from err
    old = state.get("fingerprint") or {}
    if old != expected:
        what = sorted(k for k in set(old) | set(expected) if old.get(k) != expected.get(k))
        if "params" in what:
            what.remove("params")
            before, now = old.get("params") or {}, expected["params"]
            what += sorted(k for k in set(before) | set(now) if before.get(k) != now.get(k))
        raise UsageError(f"cannot resume: {', '.join(what)} changed since the interrupted run; "
                         "run again without --resume to start over")
    return state
