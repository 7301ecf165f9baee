"""How a corpora file is made from the upstream files it comes from (the manifest's ``derivation``).

* ``verbatim`` (IndoNLU): the upstream file itself, same bytes, same sha1.
* ``tweets2024`` (``pemilu2024_tweets/<name>.csv``): :func:`derive_tweets`, the rule of the
  corpora README; it reproduces the lab's three files byte for byte, so their sha1 is checked.
* ``lines`` (``extra/``): :func:`derive_lines`, this project's own rule (the lab's copies were
  cleaned by hand and their steps were not recorded): the documents of each upstream file in
  manifest order, each with its whitespace runs collapsed to one space and stripped, empty ones
  dropped, and a document equal to an earlier one of the same file dropped; one document per
  line, ``\\n`` after each. (Within a file only, so a file's bytes do not depend on which other
  files a fetch selects.) The bytes differ from the lab's copy, so
  their sha1 is not checked; instead every annotated text of the file is found again by its sha1
  (or reported missing) by :mod:`netral_nlp.corpora.fetch`.

Upstream document formats for ``lines``: ``lines`` (a text file, one document a line),
``json:<key>`` (a JSON or JSON-lines file: every string under ``<key>``, at any depth, in file
order), ``csv:<column>`` (a UTF-8 CSV with a header row), ``indosum`` (IndoSum JSON lines: the
tokens of ``paragraphs`` [paragraph][sentence][token] of an article, detokenized by
:func:`detokenize`; on the IndoSum articles checked it gives the lab's text exactly).
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

TWEET_COLUMNS = ("Tweet", "Date")


def derive_tweets(raw: bytes) -> str:
    """``date,text`` CSV text from one upstream tweets file (``Datasets/original data/<name>.csv``).

    The upstream files are UTF-8 with a BOM (Anies) or hold cp1252 bytes outside the ``Tweet`` and
    ``Date`` columns (Ganjar, Prabowo). The file is parsed byte-transparently (latin-1, after
    dropping a UTF-8 BOM) so no other column can break it, and only ``Tweet`` and ``Date`` are
    decoded, as UTF-8. For each row in file order: ``text`` = ``Tweet`` stripped of surrounding
    whitespace; rows with an empty text, and texts equal to an earlier kept text, are skipped;
    ``date`` = the first 10 characters of ``Date``. Written by the csv module (``\\r\\n`` line ends).
    """
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(raw.decode("latin-1"), newline=""))
    missing = [c for c in TWEET_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"not an upstream tweets file: no column {missing[0]!r} in {reader.fieldnames}")
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["date", "text"])
    seen: set[str] = set()
    for row in reader:
        text = (row["Tweet"] or "").encode("latin-1").decode("utf-8").strip()
        if not text or text in seen:
            continue
        seen.add(text)
        writer.writerow([(row["Date"] or "").encode("latin-1").decode("utf-8")[:10], text])
    return out.getvalue()


def _strings_under(obj, key: str) -> Iterator[str]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == key and isinstance(v, str):
                yield v
            else:
                yield from _strings_under(v, key)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings_under(v, key)


def _json_values(text: str) -> Iterator:
    try:
        yield json.loads(text)
    except json.JSONDecodeError:  # JSON lines
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)


_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}])")
_NO_SPACE_AFTER = re.compile(r"([(\[{]) ")
_SLASH_DATE = re.compile(r"(\d) / (\d)")  # non-overlapping: "25 / 2 / 2018" -> "25/2 / 2018", as the lab's copy


def detokenize(tokens: Iterable[str]) -> str:
    """Tokens (IndoSum style) as running text: blank tokens dropped, single spaces, none before closing punctuation or
    after an opening bracket, straight double quotes attached inside (alternating open/close), and
    ``d / d`` joined once per pair."""
    s, quote_open = "", False
    for tok in tokens:
        if not tok.strip():  # IndoSum has no-break-space tokens
            continue
        if tok == '"':
            s = s.rstrip() + '"' if quote_open else s + (" " if s else "") + '"'
            quote_open = not quote_open
            continue
        glue = not s or (quote_open and s.endswith('"') and (len(s) == 1 or s[-2] == " "))
        s += tok if glue else " " + tok
    return _SLASH_DATE.sub(r"\1/\2", _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", s)))


def documents(raw: bytes, fmt: str) -> Iterator[str]:
    """The documents of one upstream file in format ``fmt`` (see the module doc)."""
    text = raw.decode("utf-8-sig")
    if fmt == "lines":
        yield from text.splitlines()
    elif fmt.startswith("json:"):
        for obj in _json_values(text):
            yield from _strings_under(obj, fmt[5:])
    elif fmt.startswith("csv:"):
        for row in csv.DictReader(io.StringIO(text, newline="")):
            yield row.get(fmt[4:]) or ""
    elif fmt == "indosum":
        for obj in _json_values(text):
            yield detokenize(tok for para in obj.get("paragraphs", []) for sent in para for tok in sent)
    else:
        raise ValueError(f"unknown upstream format {fmt!r}")


def derive_lines(parts: Iterable[tuple[bytes, str]]) -> str:
    """One ``extra/`` file from its upstream files ``(bytes, format)``, in order."""
    out, seen = [], set()
    for raw, fmt in parts:
        for doc in documents(raw, fmt):
            doc = " ".join(doc.split())
            if doc and doc not in seen:
                seen.add(doc)
                out.append(doc + "\n")
    return "".join(out)


def write_text(path: Path, text: str) -> None:
    """Write derived text exactly (no newline translation), via a temporary name."""
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_bytes(text.encode("utf-8"))
    tmp.replace(path)
