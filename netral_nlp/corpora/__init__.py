"""The corpora folder of real Indonesian text: its manifest, ``netral data fetch`` (from upstream
or a mirror, verified by sha1) and ``netral data status``. See :mod:`netral_nlp.corpora.fetch`."""
from __future__ import annotations

from .download import FetchError
from .fetch import FetchFailed, fetch, status
from .manifest import attribution, load_manifest

__all__ = ["FetchError", "FetchFailed", "attribution", "fetch", "load_manifest", "status"]
