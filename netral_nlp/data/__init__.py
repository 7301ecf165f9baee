"""The data layer, in one package:

* :mod:`.examples`: the example format (``Example``, ``GoldSpan``), reading, validating and writing JSONL;
* the packaged splits, ``train.jsonl`` / ``dev.jsonl`` / ``test.jsonl`` in this folder
  (:func:`packaged_corpus`; how they were made: ``README.md`` here);
* :mod:`.real`: the real texts of the corpora folder and the project's annotations of them
  (``corpus/real/annotations.jsonl``), resolved and checked by sha1 (:func:`load_real`), and as a
  ``datasets.DatasetDict`` (:func:`real_dataset`);
* :mod:`.sources`: where examples come from (JSONL, ``real:<split>``, in memory);
* ``corpora_manifest.json``: the corpora files, pinned (``netral data fetch``, :mod:`netral_nlp.corpora`).

Nothing here imports torch; :func:`real_dataset` imports ``datasets`` when called.
"""
from __future__ import annotations

from .examples import (
    REGISTERS,
    DataError,
    Example,
    GoldSpan,
    apply_edits,
    as_examples,
    near_duplicate_pairs,
    packaged_corpus,
    parse_example,
    read_jsonl,
    write_jsonl,
)
from .real import SPLITS, CorporaMissing, corpora_dir, load_real, real_dataset
from .sources import load_examples

__all__ = ["REGISTERS", "SPLITS", "CorporaMissing", "DataError", "Example", "GoldSpan", "apply_edits",
           "as_examples", "corpora_dir", "load_examples", "load_real", "near_duplicate_pairs", "packaged_corpus",
           "parse_example", "read_jsonl", "real_dataset", "write_jsonl"]
