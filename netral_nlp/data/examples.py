"""The example format: reading and validating the JSONL data format (see DESIGN.md)."""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import DataError
from ..labels import CATEGORIES, LABELS, PARTISAN

__all__ = ["REGISTERS", "DataError", "Example", "GoldSpan", "as_examples", "near_duplicate_pairs",
           "packaged_corpus", "parse_example", "read_jsonl", "write_jsonl"]

REGISTERS = ("tweet", "facebook", "instagram", "whatsapp", "article", "statement")


@dataclass
class GoldSpan:
    start: int
    end: int
    category: str


@dataclass
class Example:
    id: str
    text: str
    label: str
    spans: list[GoldSpan] | None = field(default_factory=list)  # None: label-only example
    register: str | None = None

    def to_dict(self) -> dict:
        d = {"id": self.id, "text": self.text, "label": self.label,
             "spans": None if self.spans is None else
             [{"start": s.start, "end": s.end, "category": s.category} for s in self.spans]}
        if self.register:
            d["register"] = self.register
        return d


def parse_example(obj: dict, where: str = "", categories: Iterable[str] = CATEGORIES) -> Example:
    cats = set(categories)
    if not isinstance(obj, dict):
        raise DataError(f"{where}: expected a JSON object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DataError(f"{where}: 'text' must be a non-empty string")
    label = obj.get("label")
    if label not in LABELS:
        raise DataError(f"{where}: 'label' must be one of {list(LABELS)}, got {label!r}")
    raw_spans = obj.get("spans", [])
    spans: list[GoldSpan] | None
    if raw_spans is None:
        spans = None
    else:
        if not isinstance(raw_spans, list):
            raise DataError(f"{where}: 'spans' must be a list")
        spans = []
        for s in raw_spans:
            try:
                start, end, cat = int(s["start"]), int(s["end"]), s["category"]
            except (KeyError, TypeError, ValueError) as err:
                raise DataError(f"{where}: span {s!r} needs integer start/end and a category") from err
            if not 0 <= start < end <= len(text):
                raise DataError(f"{where}: span [{start}, {end}) is outside the text (length {len(text)})")
            if cat not in cats:
                raise DataError(f"{where}: unknown span category {cat!r}; expected one of {sorted(cats)}")
            spans.append(GoldSpan(start, end, cat))
        if spans and label != PARTISAN:
            raise DataError(f"{where}: a neutral example cannot have spans")
    return Example(id=str(obj.get("id", where)), text=text, label=label, spans=spans,
                   register=obj.get("register"))


def read_jsonl(path: str | os.PathLike) -> list[Example]:
    """Read and validate a JSONL file of examples; raises :class:`DataError` on the first bad line."""
    path = Path(path)
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                raise DataError(f"{path}:{n}: invalid JSON ({err.msg})") from err
            ex = parse_example(obj, f"{path}:{n}")
            if ex.id == f"{path}:{n}":
                ex.id = f"{path.stem}-{n}"
            out.append(ex)
    if not out:
        raise DataError(f"{path}: no examples")
    return out


def write_jsonl(examples: Iterable[Example | dict], path: str | os.PathLike) -> None:
    with Path(path).open("w", encoding="utf-8") as fh:
        for ex in examples:
            d = ex.to_dict() if isinstance(ex, Example) else ex
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")


def as_examples(data) -> list[Example]:
    """A path, or a list of :class:`Example` / dicts, as validated examples."""
    if isinstance(data, (str, os.PathLike)):
        return read_jsonl(data)
    out = []
    for i, d in enumerate(data):
        out.append(d if isinstance(d, Example) else parse_example(d, f"example #{i}"))
    return out


def packaged_corpus(split: str) -> list[Example]:
    """The project's annotated corpus: ``split`` is ``train``, ``dev`` or ``test``."""
    path = Path(__file__).resolve().parent / f"{split}.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"no packaged split {split!r} at {path}")
    return read_jsonl(path)


def _shingle_matrix(texts: list[str], n: int = 5):
    from sklearn.feature_extraction.text import HashingVectorizer

    vec = HashingVectorizer(analyzer="char", ngram_range=(n, n), lowercase=True, binary=True, norm=None,
                            alternate_sign=False, n_features=2**22)
    X = vec.transform([" ".join(t.split()) for t in texts])
    X.data[:] = 1.0
    return X


def near_duplicate_pairs(texts_a: list[str], texts_b: list[str] | None = None, threshold: float = 0.5,
                         n: int = 5) -> list[tuple[int, int, float]]:
    """Pairs (i, j, jaccard) of texts whose character ``n``-gram sets have Jaccard >= ``threshold``.

    With one list, pairs within it (i < j); with two, pairs across them. Used to keep near
    duplicates out of different splits; case and whitespace are ignored.
    """
    A = _shingle_matrix(texts_a, n)
    B = A if texts_b is None else _shingle_matrix(texts_b, n)
    inter = (A @ B.T).tocoo()
    sa = A.sum(axis=1).A1
    sb = B.sum(axis=1).A1
    out = []
    for i, j, v in zip(inter.row, inter.col, inter.data):
        if texts_b is None and i >= j:
            continue
        jac = v / (sa[i] + sb[j] - v)
        if jac >= threshold:
            out.append((int(i), int(j), float(jac)))
    return out


def apply_edits(ex: Example, edits: list[tuple[int, int, str]]) -> Example:
    """Apply non-overlapping (start, end, replacement) edits and move the spans with them.
    Edits that cross a span boundary are skipped."""
    spans = ex.spans or []
    ok = []
    for a, b, r in sorted(edits):
        if ok and a < ok[-1][1]:
            continue
        if any((a < s.start < b) or (a < s.end < b) for s in spans):
            continue
        ok.append((a, b, r))
    if not ok:
        return ex

    def move(pos: int) -> int:  # edits that end at or before pos shift it
        return pos + sum(len(r) - (b - a) for a, b, r in ok if b <= pos)

    parts, pos = [], 0
    for a, b, r in ok:
        parts += [ex.text[pos:a], r]
        pos = b
    parts.append(ex.text[pos:])
    text = "".join(parts)
    new_spans = None if ex.spans is None else [GoldSpan(move(s.start), move(s.end), s.category)
                                                for s in spans]
    return replace(ex, text=text, spans=new_spans)
