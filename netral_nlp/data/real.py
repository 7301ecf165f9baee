"""Real Indonesian text from the corpora folder: readers, and the project's annotations of it.

The real texts are not the project's and are never committed. What the project commits is
``corpus/real/annotations.jsonl``: one line per annotated text with a pointer into a corpora
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

The corpora folder is a parameter everywhere (``corpora=``); :func:`corpora_dir` is the one
default lookup. ``netral data fetch`` (:mod:`netral_nlp.corpora`) builds the folder from the
public upstreams or a mirror, into :func:`fetch_target`.

This module does not import torch.
"""
from __future__ import annotations

import ast
import csv
import functools
import hashlib
import json
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

from .examples import Example, parse_example

ROOT = Path(__file__).resolve().parents[2]
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
# The kind of text each source stands for, reported per source by the quality benchmark (not the
# platforms of examples.REGISTERS).
SOURCE_REGISTERS = {
    "pemilu2024_tweets": "election tweet", "indonlu/emot": "everyday tweet", "indonlu/smsa": "review/comment",
    "indonlu/casa": "car review", "indonlu/hoasa": "hotel review", "indonlu/nerp": "news sentence",
    "indonlu/nergrit": "wiki/news sentence", "extra/stif_tweets": "customer-service tweet",
    "extra/indosum_dev": "news article",
}


class CorporaMissing(FileNotFoundError):
    """The corpora folder (or one of its files) is not there: a user's clone before ``netral data fetch``."""


FETCH_HINT = "run `netral data fetch` to download and verify them (or pass corpora=... / set NETRAL_CORPORA)"
FETCH_STATE = "netral-fetch.json"  # written by netral data fetch: what was fetched, how, and moved/missing rows


def fetch_target() -> Path:
    """Where ``netral data fetch`` writes: ``$NETRAL_CORPORA``, else ``~/.cache/netral-nlp/corpora``."""
    env = os.environ.get("NETRAL_CORPORA")
    if env:
        return Path(env).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "netral-nlp" / "corpora"


def corpora_dir(path: str | os.PathLike | None = None) -> Path:
    """The corpora folder: ``path``, else ``$NETRAL_CORPORA``, else the lab's copy beside the
    repository (``../shared/corpora``, the one default lookup), else the user cache that ``netral
    data fetch`` fills."""
    if path or os.environ.get("NETRAL_CORPORA"):
        cands = [Path(path or os.environ["NETRAL_CORPORA"]).expanduser()]
    else:
        cands = [ROOT.parent / "shared" / "corpora", fetch_target()]
    for cand in cands:
        if cand.is_dir():
            return cand
    raise CorporaMissing(f"real corpora not found (looked in {', '.join(map(str, cands))}): {FETCH_HINT}")


def source_path(source: str) -> str:
    """The file of ``source`` inside the corpora folder (e.g. ``indonlu/smsa_doc-sentiment-prosa/train_preprocess.tsv``)."""
    folder, _, stem = source.partition("/")
    if folder == "pemilu2024_tweets" and stem:
        return f"{folder}/{stem}.csv"
    if folder == "indonlu" and stem in _INDONLU:
        return f"indonlu/{_INDONLU[stem][0]}"
    if folder == "extra" and stem:
        return f"extra/{stem}.txt"
    raise ValueError(f"unknown real-text source {source!r}")


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def register_of(source: str) -> str:
    return SOURCE_REGISTERS.get(source) or SOURCE_REGISTERS.get(source.split("/")[0], source)


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
    path = corpora_dir(corpora) / source_path(source)
    if not path.is_file():
        raise CorporaMissing(f"{source}: {path} is missing from the corpora folder: {FETCH_HINT}")
    folder, _, stem = source.partition("/")
    if folder == "pemilu2024_tweets":
        yield from _csv_rows(path, "text")
    elif folder == "indonlu":
        _, kind, column = _INDONLU[stem]
        if kind == "conll":
            yield from _conll_sentences(path)
        elif kind == "pylist":  # a column holding a Python list of tokens
            for cell in _csv_rows(path, column):
                yield " ".join(ast.literal_eval(cell)) if cell.startswith("[") else cell
        else:
            yield from _csv_rows(path, column, "\t" if kind == "tsv" else ",")
    else:
        with open(path, encoding="utf-8") as f:
            for line in f:
                yield line.rstrip("\n")


def fetch_state(corpora: str | os.PathLike | None = None) -> dict:
    """What ``netral data fetch`` recorded in the corpora folder ({} for a folder it did not write)."""
    path = corpora_dir(corpora) / FETCH_STATE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


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

    Each text is read from the corpora folder and checked against its committed sha1.
    ``register`` is set to the source name (e.g. ``pemilu2024_tweets/anies``). Where ``netral data
    fetch`` rebuilt a source by its own derivation (``extra/``), it recorded the rows the annotated
    texts moved to (found by sha1) and the texts the rebuild lacks: those are used and skipped (with
    a warning) here; everywhere else a row that does not match its sha1 is an error.
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    base = str(corpora_dir(corpora))
    state = fetch_state(base)
    moved, missing = state.get("moved_rows", {}), set(state.get("missing_annotations", ()))
    out, skipped = [], []
    for ann in read_annotations(annotations):
        if split is not None and ann["split"] != split:
            continue
        if ann["id"] in missing:
            skipped.append(ann["id"])
            continue
        rows = _source_rows(ann["source"], base)
        row = moved.get(ann["id"], ann["row"])
        text = rows[row] if row < len(rows) else None
        if text is None or sha1(text) != ann["sha1"]:
            raise ValueError(f"{ann['id']}: text at {ann['source']} row {row} does not match its sha1 "
                             "(a changed corpora file: run `netral data status`)")
        out.append(parse_example({"id": ann["id"], "text": text, "label": ann["label"],
                                  "spans": ann.get("spans", []), "register": ann["source"]},
                                 where=ann["id"]))
    if skipped:
        warnings.warn(f"{len(skipped)} annotated texts are missing from the rebuilt corpora folder {base} "
                      f"(first: {skipped[0]}); see `netral data status`", stacklevel=2)
    return out



def real_dataset(corpora: str | os.PathLike | None = None, annotations: str | os.PathLike = ANNOTATIONS,
                 splits: tuple[str, ...] = ("train", "dev", "test")):
    """The annotated real texts as a ``datasets.DatasetDict``, one split per name in ``splits``
    (add ``"other"`` for the texts about other elections), each resolved and checked like
    :func:`load_real`. Columns: ``id``, ``text``, ``label`` (``ClassLabel``: neutral 0, partisan 1),
    ``spans`` (a list of ``{start, end, category}``, character offsets into ``text``) and
    ``source``: ready for a Hugging Face ``Trainer`` after tokenizing ``text``."""
    from datasets import ClassLabel, Dataset, DatasetDict, Features, Value

    from ..labels import LABELS

    features = Features({"id": Value("string"), "text": Value("string"), "label": ClassLabel(names=list(LABELS)),
                         "spans": [{"start": Value("int32"), "end": Value("int32"), "category": Value("string")}],
                         "source": Value("string")})
    out = {}
    for split in splits:
        rows = [{"id": e.id, "text": e.text, "label": LABELS.index(e.label),
                 "spans": [{"start": g.start, "end": g.end, "category": g.category} for g in e.spans or []],
                 "source": e.register} for e in load_real(split, corpora, annotations)]
        out[split] = Dataset.from_dict({k: [r[k] for r in rows] for k in features}, features=features)
    return DatasetDict(out)

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

    from .examples import near_duplicate_pairs

    anns = read_annotations(annotations)
    test_sources = {a["source"] for a in anns if a["split"] == "test"}
    bad = sorted(set(sources) & test_sources)
    if bad:
        raise ValueError(f"{bad} are real-test sources: they cannot give training negatives")
    moved = fetch_state(corpora).get("moved_rows", {})
    annotated = {(a["source"], moved.get(a["id"], a["row"])) for a in anns}
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
