"""One file from a URL (HTTP/HTTPS, ``file://``) or a local path into the corpora folder: resumed
with an HTTP ``Range`` request when a ``.part`` file is left from an interrupted run, shown with a
progress bar, checked against its sha1 before it takes its final name.

Failures are :class:`FetchError` with a ``reason`` a person can act on: ``no network`` (the host
cannot be reached), ``missing`` (404/410: the file moved or the commit is gone), ``checksum``
(the bytes are not the pinned ones), ``interrupted`` (the connection dropped; the partial file is
kept and the next run resumes it), ``http`` (any other HTTP status).
"""
from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ..errors import NetralError

CHUNK = 1 << 16
TIMEOUT = 30.0


class FetchError(NetralError):
    """One corpora file could not be fetched; ``reason`` is one of the kinds in the module doc."""

    def __init__(self, what: str, reason: str, detail: str):
        super().__init__(f"{what}: {reason}: {detail}")
        self.what, self.reason, self.detail = what, reason, detail


def sha1_file(path: str | os.PathLike) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _is_local(url: str) -> bool:
    return "://" not in url or url.startswith("file://")


def join(base: str, rel: str) -> str:
    """``rel`` (a corpora or upstream path, spaces allowed) under ``base`` (a URL or a folder)."""
    if _is_local(base):
        return str(Path(base.removeprefix("file://")) / rel)
    return base.rstrip("/") + "/" + urllib.parse.quote(rel)


def _progress(total: int | None, initial: int, desc: str, show: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit="B", unit_scale=True, unit_divisor=1024, desc=desc,
                disable=not show, leave=False)


def _open(url: str, start: int, what: str):
    req = urllib.request.Request(url, headers={"User-Agent": "netral-nlp data fetch"})
    if start:
        req.add_header("Range", f"bytes={start}-")
    try:
        return urllib.request.urlopen(req, timeout=TIMEOUT)
    except urllib.error.HTTPError as err:
        if err.code == 416 and start:  # the .part is already whole
            return None
        if err.code in (404, 410):
            raise FetchError(what, "missing", f"{url} answered {err.code}: the file moved upstream or the "
                             "pinned commit is gone (update the manifest, or use --mirror)") from None
        raise FetchError(what, "http", f"{url} answered HTTP {err.code} {err.reason}") from None
    except (TimeoutError, urllib.error.URLError, ConnectionError, http.client.HTTPException) as err:
        reason = getattr(err, "reason", err)
        raise FetchError(what, "no network", f"cannot reach {urllib.parse.urlsplit(url).netloc or url}: "
                         f"{reason} (check the connection or proxy, or use --mirror)") from None


def _copy_local(src: Path, part: Path, what: str, show: bool) -> None:
    if not src.is_file():
        raise FetchError(what, "missing", f"{src} does not exist in the mirror folder")
    start = part.stat().st_size if part.exists() else 0
    with open(src, "rb") as f, open(part, "ab") as out, _progress(src.stat().st_size, start, what, show) as bar:
        f.seek(start)
        shutil.copyfileobj(f, out, CHUNK)
        bar.update(src.stat().st_size - start)


def _download_http(url: str, part: Path, what: str, size: int | None, show: bool) -> None:
    start = part.stat().st_size if part.exists() else 0
    resp = _open(url, start, what)
    if resp is None:
        return
    with resp:
        if start and resp.status != 206:  # the server ignored Range: start again
            start = 0
        length = resp.headers.get("Content-Length")
        total = start + int(length) if length and length.isdigit() else size
        with open(part, "ab" if start else "wb") as out, _progress(total, start, what, show) as bar:
            got = start
            try:
                while chunk := resp.read(CHUNK):
                    out.write(chunk)
                    got += len(chunk)
                    bar.update(len(chunk))
            except (OSError, http.client.HTTPException) as err:
                raise FetchError(what, "interrupted", f"connection to {url} dropped after {got} bytes ({err}); "
                                 f"{part.name} is kept: run the fetch again to resume") from None
        if total is not None and got < total:
            raise FetchError(what, "interrupted", f"{url} ended after {got} of {total} bytes; {part.name} is "
                             "kept: run the fetch again to resume")


def fetch_file(url: str, dest: Path, what: str, sha1: str | None = None, size: int | None = None,
               progress: bool = True) -> Path:
    """``url`` (or a local path) to ``dest``, resuming ``dest.part``; with ``sha1``, a file whose
    bytes differ is deleted and reported as ``checksum``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    if size is not None and part.exists() and part.stat().st_size > size:
        part.unlink()  # longer than the pinned file: cannot be a prefix of it
    if _is_local(url):
        _copy_local(Path(url.removeprefix("file://")), part, what, progress)
    else:
        _download_http(url, part, what, size, progress)
    if sha1 is not None:
        got = sha1_file(part)
        if got != sha1:
            part.unlink()
            raise FetchError(what, "checksum", f"{url} gave sha1 {got}, the manifest pins {sha1} (a corrupted "
                             "transfer or a changed upstream; the file was not kept)")
    os.replace(part, dest)
    return dest
