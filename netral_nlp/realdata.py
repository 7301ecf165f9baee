"""Real Indonesian text from ``../shared/corpora``: readers, and the project's annotations of it.

The real texts are not the project's and are never committed. What the project commits is
``corpus/real/annotations.jsonl``: one line per annotated text with a pointer into a shared
source file (``source`` + ``row``), the sha1 of the text, the split, the label and the spans as
character offsets. :func:`load_real` joins the pointers back to the texts at training,
evaluation and benchmark time and checks every sha1, so a changed source is an error, never a
silently shifted label.

A *source* is named ``<folder>/<file stem>`` and its rows are numbered from 0:

* ``pemilu2024_tweets/{anies,ganjar,prabowo}``: data rows of the CSV (column ``text``);
* ``indonlu/emot`` (``tweet`` column), ``indonlu/smsa`` (first TSV field), ``indonlu/casa``
  (``sentence``), ``indonlu/hoasa`` (``review``): rows of the train file;
* ``indonlu/{nerp,nergrit,posp,bapos,keps,terma}``: sentences of the token-per-line file,
  tokens joined by single spaces (the tokenised style of the source); ``indonlu/wrete``
  (``sent_A``); ``indonlu/facqa`` (``passage``, a list of tokens joined by spaces);
* ``extra/<stem>``: lines of the text file.

This module does not import torch.
"""
from __future__ import annotations

import ast
import csv
import functools
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from .data import Example, parse_example

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "corpus" / "real" / "annotations.jsonl"
SPLITS = ("train", "dev", "test", "other")  # other: texts about elections other than 2024, test only

_INDONLU = {
    "emot": ("emot_emotion-twitter/train_preprocess.csv", "csv", "tweet"),
    "smsa": ("smsa_doc-sentiment-prosa/train_preprocess.tsv", "tsv", 0),
    "casa": ("casa_absa-prosa/train_preprocess.csv", "csv", "sentence"),
    "hoasa": ("hoasa_absa-airy/train_preprocess.csv", "csv", "review"),
    "nerp": ("nerp_ner-prosa/train_preprocess.txt", "conll", None),
    "nergrit": ("nergrit_ner-grit/train_preprocess.txt", "conll", None),
    "posp": ("posp_pos-prosa/train_preprocess.txt", "conll", None),
    "bapos": ("bapos_pos-idn/train_preprocess.txt", "conll", None),
    "keps": ("keps_keyword-extraction-prosa/train_preprocess.txt", "conll", None),
    "terma": ("terma_term-extraction-airy/train_preprocess.txt", "conll", None),
    "wrete": ("wrete_entailment-ui/train_preprocess.csv", "csv", "sent_A"),
    "facqa": ("facqa_qa-factoid-itb/train_preprocess.csv", "pylist", "passage"),
}
# The register each source stands for, reported per register by the quality benchmark.
REGISTERS = {
    "pemilu2024_tweets": "election tweet", "indonlu/emot": "everyday tweet", "indonlu/smsa": "review/comment",
    "indonlu/casa": "car review", "indonlu/hoasa": "hotel review", "indonlu/nerp": "news sentence",
    "indonlu/nergrit": "wiki/news sentence", "extra/stif_tweets": "customer-service tweet",
    "extra/indosum_dev": "news article",
}


class CorporaMissing(FileNotFoundError):
    """``../shared/corpora`` (or ``$NETRAL_CORPORA``) is not there: a user's clone."""


def corpora_dir(path: str | os.PathLike | None = None) -> Path:
    """The shared corpora folder: ``path``, ``$NETRAL_CORPORA``, or ``../shared/corpora`` beside the repo."""
    cand = Path(path or os.environ.get("NETRAL_CORPORA") or ROOT.parent / "shared" / "corpora")
    if not cand.is_dir():
        raise CorporaMissing(f"real corpora not found at {cand} (set NETRAL_CORPORA or pass corpora=...)")
    return cand


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def register_of(source: str) -> str:
    return REGISTERS.get(source) or REGISTERS.get(source.split("/")[0], source)


def _csv_rows(path: Path, column, delimiter: str = ",") -> Iterator[str]:
    with open(path, encoding="utf-8", newline="") as f:
        if isinstance(column, int):
            for row in csv.reader(f, delimiter=delimiter, quoting=csv.QUOTE_NONE):
                yield row[column] if len(row) > column else ""
        else:
            for row in csv.DictReader(f, delimiter=delimiter):
                yield row.get(column) or ""


def _conll_sentences(path: Path) -> Iterator[str]:
    tokens: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    yield " ".join(tokens)
                    tokens = []
                continue
            tokens.append(line.split("\t")[0])
    if tokens:
        yield " ".join(tokens)


def iter_source(source: str, corpora: str | os.PathLike | None = None) -> Iterator[str]:
    """The texts of one source, in row order (row ``i`` is the ``i``-th yielded text)."""
    base = corpora_dir(corpora)
    folder, _, stem = source.partition("/")
    if folder == "pemilu2024_tweets":
        yield from _csv_rows(base / folder / f"{stem}.csv", "text")
    elif folder == "indonlu" and stem in _INDONLU:
        rel, kind, column = _INDONLU[stem]
        path = base / "indonlu" / rel
        if kind == "conll":
            yield from _conll_sentences(path)
        elif kind == "pylist":  # a column holding a Python list of tokens
            for cell in _csv_rows(path, column):
                yield " ".join(ast.literal_eval(cell)) if cell.startswith("[") else cell
        else:
            yield from _csv_rows(path, column, "\t" if kind == "tsv" else ",")
    elif folder == "extra":
        with open(base / "extra" / f"{stem}.txt", encoding="utf-8") as f:
            for line in f:
                yield line.rstrip("\n")
    else:
        raise ValueError(f"unknown real-text source {source!r}")


@functools.lru_cache(maxsize=32)
def _source_rows(source: str, corpora: str) -> tuple[str, ...]:
    return tuple(iter_source(source, corpora))


def is_real(example: Example) -> bool:
    """True for an example read by :func:`load_real` or :func:`unannotated_negatives` (its
    register is its source, ``folder/name``)."""
    return "/" in (example.register or "")


def read_annotations(path: str | os.PathLike = ANNOTATIONS) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_real(split: str | None = None, corpora: str | os.PathLike | None = None,
              annotations: str | os.PathLike = ANNOTATIONS) -> list[Example]:
    """Annotated real texts of ``split`` (all splits when None) as :class:`Example` objects.

    Each text is read from the shared corpora and checked against its committed sha1.
    ``register`` is set to the source name (e.g. ``pemilu2024_tweets/anies``).
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    base = str(corpora_dir(corpora))
    out = []
    for ann in read_annotations(annotations):
        if split is not None and ann["split"] != split:
            continue
        rows = _source_rows(ann["source"], base)
        text = rows[ann["row"]]
        if sha1(text) != ann["sha1"]:
            raise ValueError(f"{ann['id']}: text at {ann['source']} row {ann['row']} does not match its sha1")
        out.append(parse_example({"id": ann["id"], "text": text, "label": ann["label"],
                                  "spans": ann.get("spans", []), "register": ann["source"]},
                                 where=ann["id"]))
    return out


def unannotated_negatives(sources: dict[str, int], seed: int = 0, corpora: str | os.PathLike | None = None,
                          annotations: str | os.PathLike = ANNOTATIONS, min_chars: int = 20,
                          max_chars: int = 700) -> list[Example]:
    """Seeded samples of real texts from registers that are (almost) never about elections, as
    neutral label-only examples (``spans=None``: no token supervision), for fine-tuning.

    ``sources`` maps a source to how many texts to take. Annotated texts are skipped, and so is
    anything that is a near-duplicate (char 5-gram Jaccard >= 0.5) of a real-dev/real-test text,
    so the held-out splits stay unseen. These are weak labels: keep their sources to registers
    where partisan posts are vanishingly rare, and never use a test source.
    """
    import random

    from .data import near_duplicate_pairs

    anns = read_annotations(annotations)
    test_sources = {a["source"] for a in anns if a["split"] == "test"}
    bad = sorted(set(sources) & test_sources)
    if bad:
        raise ValueError(f"{bad} are real-test sources: they cannot give training negatives")
    annotated = {(a["source"], a["row"]) for a in anns}
    held = [e.text for split in ("dev", "test", "other") for e in load_real(split, corpora, annotations)]
    out = []
    for source, n in sorted(sources.items()):
        rng = random.Random(f"{seed}:{source}")  # per source: adding a source changes no other pick
        rows = [(i, t) for i, t in enumerate(iter_source(source, corpora))
                if (source, i) not in annotated and min_chars <= len(t.strip()) <= max_chars]
        rng.shuffle(rows)
        picked = rows[: int(n * 1.1) + 5]
        drop = {i for i, _, _ in near_duplicate_pairs([t for _, t in picked], held)}
        picked = [r for k, r in enumerate(picked) if k not in drop][:n]
        out.extend(Example(id=f"{source}:{i}", text=t, label="neutral", spans=None, register=source)
                   for i, t in picked)
    return out
