"""A file server on 127.0.0.1 for the fetch tests: serves a folder, honours ``Range: bytes=N-``,
and can misbehave on purpose (drop the connection after some bytes, once per path)."""
from __future__ import annotations

import http.server
import threading
import urllib.parse
from contextlib import contextmanager
from pathlib import Path


class _Handler(http.server.BaseHTTPRequestHandler):
    root: Path
    cut_after: dict[str, int]  # path -> bytes to send before dropping the connection (once)
    ranges: list[tuple[str, int]]  # (path, first byte) of every request, for the tests to inspect
    honour_range = True

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802
        rel = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/")
        path = self.root / rel
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        start = 0
        rng = self.headers.get("Range")
        if rng and self.honour_range and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.end_headers()
                return
        self.ranges.append((rel, start))
        body = data[start:]
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        cut = self.cut_after.pop(rel, None)
        if cut is not None:
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


@contextmanager
def serve(root: Path, cut_after: dict[str, int] | None = None, honour_range: bool = True):
    """``(base_url, handler class)`` of a server for ``root`` on a free loopback port."""
    handler = type("Handler", (_Handler,), {"root": Path(root), "cut_after": dict(cut_after or {}),
                                            "ranges": [], "honour_range": honour_range})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
