"""``netral data fetch`` and ``netral data status``: build the corpora folder and say what is in it.

Two ways, both checked file by file against the manifest's sha1:

* from a mirror (``mirror=`` a URL or a folder laid out like the corpora folder): each file is
  copied as it is;
* from upstream (default): each file from its public repository at the pinned commit
  (``raw.githubusercontent.com/<repository>/<commit>/<path>``), then derived
  (:mod:`netral_nlp.corpora.derive`). Files without a public upstream rule (``mirror-only``:
  Debian packages, hand-picked samples, all of them pretraining-only) are skipped with a note.

Then every annotated text (``corpus/real/annotations.jsonl``) of a fetched file is checked by its
sha1. In a file rebuilt by the project's own rule (``extra/``), an annotated text that moved is
found again by its sha1 and its new row recorded, one that is not there is recorded as missing;
:func:`netral_nlp.data.real.load_real` follows both. What was fetched, how, and those rows go in
``netral-fetch.json`` in the corpora folder.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from ..data import real
from ..data.real import ANNOTATIONS, FETCH_STATE, fetch_target, read_annotations
from ..errors import NetralError
from .derive import derive_lines, derive_tweets, write_text
from .download import FetchError, fetch_file, join, sha1_file
from .manifest import MANIFEST, RAW_GITHUB, Entry, attribution, load_manifest, select

UPSTREAM_CACHE = ".upstream"  # raw upstream files while they download (resumable), removed once derived


class FetchFailed(NetralError):
    """Some sources could not be fetched or verified; ``errors`` holds one :class:`FetchError` each."""

    def __init__(self, errors: list[FetchError]):
        lines = [f"  - {e.what}: {e.reason}: {e.detail}" for e in errors]
        super().__init__(f"{len(errors)} corpora file(s) not fetched:\n" + "\n".join(lines))
        self.errors = errors


def _read_state(target: Path) -> dict:
    path = target / FETCH_STATE
    state = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    state.setdefault("files", {})
    return state


def _write_state(target: Path, state: dict) -> None:
    write_text(target / FETCH_STATE, json.dumps(state, indent=1, sort_keys=True) + "\n")


def _present(target: Path, e: Entry, state: dict, pinned: bool = False) -> bool:
    """The file is there with the bytes it should have: the pinned sha1, or (a file rebuilt by the
    project's rule, unless ``pinned``) the sha1 recorded when it was rebuilt."""
    path = target / e.path
    if not path.is_file():
        return False
    rec = state["files"].get(e.path, {})
    if rec.get("rebuilt") and not pinned:
        return sha1_file(path) == rec.get("sha1")
    return path.stat().st_size == e.size and sha1_file(path) == e.sha1


def _from_upstream(e: Entry, path: str, dest: Path, base: str, progress: bool, check: bool = False) -> Path:
    """``path`` of ``e``'s repository at the pinned commit into ``dest``, trying each of its URLs
    while they answer ``missing``; with ``check``, verified against the entry's sha1 and size."""
    urls = e.upstream_urls(path, base)
    what = e.source if check else f"{e.source} ({e.repository}@{e.commit}:{path})"
    for k, url in enumerate(urls):
        try:
            return fetch_file(url, dest, what, e.sha1 if check else None, e.size if check else None, progress)
        except FetchError as err:
            if err.reason != "missing" or k == len(urls) - 1:
                raise


def _upstream_bytes(target: Path, e: Entry, path: str, base: str, progress: bool) -> bytes:
    local = target / UPSTREAM_CACHE / e.repository / str(e.commit) / path
    return _from_upstream(e, path, local, base, progress).read_bytes()


def _fetch_one(target: Path, e: Entry, mirror: str | None, base: str, progress: bool) -> str:
    """Fetch one entry; returns how (``mirror`` or ``upstream``)."""
    dest = target / e.path
    if mirror is not None:
        fetch_file(join(mirror, e.path), dest, e.source, e.sha1, e.size, progress)
        return "mirror"
    if e.derivation == "verbatim":
        (up_path, _), = e.upstream
        _from_upstream(e, up_path, dest, base, progress, check=True)
        return "upstream"
    if e.derivation == "tweets2024":
        (up_path, _), = e.upstream
        text = derive_tweets(_upstream_bytes(target, e, up_path, base, progress))
        tmp = dest.with_name(dest.name + ".derived")
        write_text(tmp, text)
        got = sha1_file(tmp)
        if got != e.sha1:
            tmp.unlink()
            raise FetchError(e.source, "checksum", f"derived from {e.repository}@{e.commit}:{up_path}, sha1 {got} "
                             f"differs from the pinned {e.sha1} (the upstream file changed; use --mirror)")
        tmp.replace(dest)
        return "upstream"
    if e.derivation == "lines":
        write_text(dest, derive_lines((_upstream_bytes(target, e, p, base, progress), fmt) for p, fmt in e.upstream))
        return "upstream"
    raise FetchError(e.source, "no upstream rule", "this pretraining-only file has no public upstream that a stated "
                     "rule derives it from; fetch it with --mirror")


def check_annotations(target: Path, state: dict, annotations=ANNOTATIONS) -> dict:
    """Resolve every annotated text of the files present in ``target``: counts, and (in ``state``)
    the moved rows and missing texts of rebuilt files. A byte-exact file whose annotated row does
    not match its sha1 is listed under ``broken``."""
    by_source: dict[str, list[dict]] = {}
    for a in read_annotations(annotations):
        by_source.setdefault(a["source"], []).append(a)
    rebuilt = {p for p, rec in state["files"].items() if rec.get("rebuilt")}
    moved, missing = dict(state.get("moved_rows", {})), set(state.get("missing_annotations", ()))
    counts = {"resolved": 0, "moved": 0, "missing": 0, "broken": [], "absent_sources": []}
    for source, anns in sorted(by_source.items()):
        path = real.source_path(source)
        if not (target / path).is_file():
            counts["absent_sources"].append(source)
            continue
        rows = list(real.iter_source(source, target))
        index = None
        for a in anns:
            moved.pop(a["id"], None)
            missing.discard(a["id"])
            if a["row"] < len(rows) and real.sha1(rows[a["row"]]) == a["sha1"]:
                counts["resolved"] += 1
            elif path in rebuilt:
                index = index or {real.sha1(t): i for i, t in reversed(list(enumerate(rows)))}
                if a["sha1"] in index:
                    moved[a["id"]] = index[a["sha1"]]
                    counts["moved"] += 1
                else:
                    missing.add(a["id"])
                    counts["missing"] += 1
            else:
                counts["broken"].append(a["id"])
    state["moved_rows"], state["missing_annotations"] = moved, sorted(missing)
    return counts


def fetch(target: str | Path | None = None, *, mirror: str | None = None, only=None, upstream: str = RAW_GITHUB,
          progress: bool = True, log: Callable[[str], None] = print, manifest=MANIFEST,
          annotations=ANNOTATIONS) -> dict:
    """Build the corpora folder in ``target`` (default ``$NETRAL_CORPORA``, else
    ``~/.cache/netral-nlp/corpora``) from ``mirror`` or from ``upstream``; ``only`` picks files by
    use, folder or source (:func:`netral_nlp.corpora.manifest.select`). Returns a summary; raises
    :class:`FetchFailed` naming each source that failed and why (the others are kept)."""
    target = Path(target).expanduser() if target else fetch_target()
    target.mkdir(parents=True, exist_ok=True)
    entries = select(load_manifest(manifest), only)
    state = _read_state(target)
    errors, skipped, done = [], [], {"present": 0, "fetched": 0}
    for e in entries:
        if _present(target, e, state, pinned=mirror is not None):
            done["present"] += 1
            continue
        if mirror is None and e.derivation == "mirror-only":
            skipped.append(e.source)
            continue
        try:
            how = _fetch_one(target, e, mirror, upstream, progress)
        except (FetchError, ValueError) as err:
            errors.append(err if isinstance(err, FetchError) else FetchError(e.source, "bad upstream file", str(err)))
            continue
        rebuilt = how == "upstream" and not e.byte_exact
        state["files"][e.path] = {"how": how, "from": mirror or upstream, "sha1": sha1_file(target / e.path),
                                  "verified": not rebuilt, "rebuilt": rebuilt}
        done["fetched"] += 1
        log(f"  {e.path}: {'rebuilt by the project rule' if rebuilt else 'verified'} ({how})")
    if not errors:  # raw upstream files are kept only for a resume after a failure
        shutil.rmtree(target / UPSTREAM_CACHE, ignore_errors=True)
    counts = check_annotations(target, state, annotations)
    _write_state(target, state)
    real._source_rows.cache_clear()
    log(f"netral data fetch: {done['fetched']} fetched, {done['present']} already present and verified, "
        f"in {target}")
    if skipped:
        log(f"  skipped (no public upstream rule, pretraining only; use --mirror): {', '.join(skipped)}")
    log(f"  annotated texts: {counts['resolved']} resolved, {counts['moved']} found at a new row, "
        f"{counts['missing']} missing from rebuilt files")
    log("Sources and licences (credit them wherever a model trained on them is described):")
    for line in attribution(entries):
        log(f"  - {line}")
    if counts["broken"]:
        errors.append(FetchError("annotations", "checksum", f"{len(counts['broken'])} annotated texts do not match "
                                 f"their sha1 (first: {counts['broken'][0]})"))
    if errors:
        raise FetchFailed(errors)
    return {"target": str(target), **done, "skipped": skipped, "annotations": counts}


def status(target: str | Path | None = None, manifest=MANIFEST, annotations=ANNOTATIONS) -> list[dict]:
    """One row per manifest file: ``state`` is ``verified`` (the pinned bytes), ``rebuilt`` (the
    project's own derivation, bytes as recorded at fetch), ``changed`` or ``missing``; and the
    annotation counts of the files present (under the key ``annotations`` of the last row)."""
    target = Path(target).expanduser() if target else real.corpora_dir()
    state = _read_state(target) if target.is_dir() else {"files": {}}
    rows = []
    for e in load_manifest(manifest):
        path, rec = target / e.path, state["files"].get(e.path, {})
        if not path.is_file():
            st = "missing"
        elif _present(target, e, state):
            st = "rebuilt" if rec.get("rebuilt") else "verified"
        else:
            st = "changed"
        rows.append({"folder": str(target), "path": e.path, "source": e.source, "state": st, "how": rec.get("how", "-"),
                     "used_by": ",".join(e.used_by), "licence": e.licence})
    counts = check_annotations(target, dict(state), annotations) if target.is_dir() else None
    return rows + [{"annotations": counts}]
