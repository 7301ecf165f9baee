"""Where examples come from: JSONL files, ``real:<split>``, or examples already in memory.

``"real:train"`` / ``"real:dev"`` / ``"real:test"`` / ``"real:other"`` are the project's annotations
of the real texts in the corpora folder (:mod:`netral_nlp.data.real`; ``corpora=`` picks the
folder, else its default lookup; ``netral data fetch`` builds it); a list of sources is concatenated.
``netral train --train a.jsonl real:train`` and ``netral evaluate --data real:test`` use this.
"""
from __future__ import annotations

import os

from .examples import Example, as_examples
from .real import load_real

REAL_PREFIX = "real:"


def load_examples(data, corpora: str | os.PathLike | None = None) -> list[Example]:
    """Validated examples from a JSONL path, ``"real:<split>"`` (read from the corpora folder
    ``corpora``), a list of such sources (concatenated), or a list of :class:`Example` / dicts (see
    :func:`netral_nlp.data.examples.as_examples`)."""
    if isinstance(data, (str, os.PathLike)):
        spec = str(data)
        if spec.startswith(REAL_PREFIX):
            return load_real(spec[len(REAL_PREFIX):], corpora=corpora)
        return as_examples(data)
    data = list(data)
    if data and all(isinstance(d, (str, os.PathLike)) for d in data):
        return [e for d in data for e in load_examples(d, corpora)]
    return as_examples(data)
