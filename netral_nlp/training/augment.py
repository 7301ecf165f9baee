"""Training-only data augmentation, reproducible from a seed.

Operations, each keeping gold spans exact:

* ``swap_names``: replace an invented contestant name or ballot number with another of the
  same kind ("Pak Hendra" -> "Pak Fajar", "nomor 2" -> "nomor 3"), inside spans too;
* ``insert_partisan``: put a short partisan text into a neutral article at a paragraph or
  sentence boundary, making a long partisan article whose only spans are the inserted ones;
* ``slang``: rewrite standard words the informal way ("yang" -> "yg", "tidak" -> "gak");
* ``plain_style``: lower-case the text and drop its punctuation, the style of many real posts
  (and of the real election tweets the project annotated, whose source stripped both), so that
  punctuation and capitals do not tell hand-written examples from real ones;
* ``rename``: real contestants, pairs, parties and ballot numbers replaced by invented ones
  (:mod:`netral_nlp.training.contestants`), so that names do not decide;
* ``obfuscate``: one to three of the evasions in :mod:`netral_nlp.obfuscate` (leetspeak,
  spaced-out letters, homoglyphs, ...), so the model also learns what normalization misses.

The test split is never augmented; ``augment()`` is applied to the training split only.
"""
from __future__ import annotations

import random
import re
from dataclasses import replace

from ..data import Example, GoldSpan, apply_edits
from ..labels import NEUTRAL, PARTISAN

NAME_GROUPS = [
    ["Hendra", "Arya", "Komarudin", "Fajar", "Yusuf", "Suryo", "Teguh", "Rudi", "Bambang", "Darmawan", "Wahyu"],
    ["Maria", "Dewi", "Lina", "Neneng", "Yuni", "Sri", "Ratna", "Nurhayati", "Rina", "Siti"],
]
NUMBER_WORDS = ["1", "2", "3", "01", "02", "03", "satu", "dua", "tiga"]
SLANG_OUT = {"yang": "yg", "tidak": "gak", "dengan": "dgn", "untuk": "utk", "banget": "bgt", "sudah": "udah",
             "saja": "aja", "kepada": "kpd", "karena": "krn", "belum": "blm", "juga": "jg", "sekarang": "skrg"}


def swap_names(ex: Example, rng: random.Random) -> Example:
    edits = []
    for group in NAME_GROUPS:
        pat = re.compile(r"\b(" + "|".join(group) + r")\b")
        names = sorted({m.group(1) for m in pat.finditer(ex.text)})
        mapping = {n: rng.choice([g for g in group if g != n]) for n in names}
        edits += [(m.start(), m.end(), mapping[m.group(1)]) for m in pat.finditer(ex.text)]
    for m in re.finditer(r"\b(?:nomor(?: urut)?|no\.?|paslon|nmr)\s*(\d{1,2}|satu|dua|tiga)\b", ex.text, re.I):
        edits.append((m.start(1), m.end(1), rng.choice([x for x in NUMBER_WORDS if x != m.group(1)])))
    return apply_edits(ex, edits)


def slang(ex: Example, rng: random.Random, rate: float = 0.5) -> Example:
    pat = re.compile(r"\b(" + "|".join(SLANG_OUT) + r")\b", re.I)
    edits = [(m.start(), m.end(), SLANG_OUT[m.group(1).lower()]) for m in pat.finditer(ex.text)
             if rng.random() < rate]
    return apply_edits(ex, edits)


_PUNCT_RUN = re.compile(r"[^\w\s]+")


def plain_style(ex: Example) -> Example:
    """``ex`` lower-cased without punctuation, symbols and emoji (a run between two letters or
    digits becomes a space, "Bapak/Ibu" -> "bapak ibu"; decimal points stay: "10.30").
    Unchanged when a gold span would be left empty."""
    t = ex.text
    edits = []
    for m in _PUNCT_RUN.finditer(t):
        before = t[m.start() - 1] if m.start() else " "
        after = t[m.end()] if m.end() < len(t) else " "
        if m.group() in (".", ",") and before.isdigit() and after.isdigit():
            continue  # a decimal or thousands separator: "10.30", "5.000"
        edits.append((m.start(), m.end(), " " if before.isalnum() and after.isalnum() else ""))
    out = apply_edits(ex, edits)
    if out.spans and any(s.end <= s.start or not out.text[s.start:s.end].strip() for s in out.spans):
        return ex
    low = out.text.lower()
    if len(low) == len(out.text):  # lower() can change the length (e.g. "İ"): keep the case then
        out = replace(out, text=low)
    return out


def insert_partisan(article: Example, snippet: Example, rng: random.Random) -> Example:
    """A neutral article with a short partisan text inserted at a paragraph/sentence boundary."""
    assert article.label == NEUTRAL and snippet.label == PARTISAN and snippet.spans
    cuts = [m.end() for m in re.finditer(r"\n\n|(?<=[.!?])\s", article.text)] or [len(article.text)]
    at = rng.choice(cuts)
    sep_before = "" if at == 0 or article.text[at - 1].isspace() else " "
    ins = sep_before + snippet.text.strip() + ("\n\n" if "\n\n" in article.text else " ")
    offset = at + len(sep_before) + (len(snippet.text) - len(snippet.text.lstrip()))
    text = article.text[:at] + ins + article.text[at:]
    spans = [GoldSpan(s.start + offset, s.end + offset, s.category) for s in snippet.spans]
    return Example(id=f"{article.id}+{snippet.id}", text=text, label=PARTISAN, spans=spans, register=article.register)


def augment(examples: list[Example], seed: int = 13, n_swaps: float = 0.3, n_slang: float = 0.15,
            n_inserts: float = 0.05, n_plain: float = 0.0, n_obfuscate: float = 0.0,
            n_rename: float = 0.0) -> list[Example]:
    """New examples (not including the originals): about ``n_swaps`` x len name/number swaps,
    ``n_slang`` x len slang rewrites, ``n_inserts`` x len partisan insertions into articles,
    ``n_plain`` x len plain-style copies, ``n_obfuscate`` x len obfuscated copies, and a copy with
    invented contestants of ``n_rename`` of the examples that name real ones."""
    from ..obfuscate import obfuscate_example
    from .contestants import renamed_copies

    rng = random.Random(seed)
    out: list[Example] = []
    for ex in examples:
        if n_plain and rng.random() < n_plain:
            new = plain_style(ex)
            if new.text != ex.text and new.text.strip():
                out.append(replace(new, id=ex.id + "~plain"))
        if n_obfuscate and rng.random() < n_obfuscate:
            new = obfuscate_example(ex, rng)
            if new.text != ex.text:
                out.append(replace(new, id=ex.id + "~obf"))
        if rng.random() < n_swaps:
            new = swap_names(ex, rng)
            if new.text != ex.text:
                out.append(replace(new, id=ex.id + "~swap"))
        if rng.random() < n_slang:
            new = slang(ex, rng)
            if new.text != ex.text:
                out.append(replace(new, id=ex.id + "~slang"))
    if n_rename:
        out += renamed_copies(examples, n_rename, seed=seed)
    articles = [e for e in examples if e.label == NEUTRAL and len(e.text) >= 300]
    snippets = [e for e in examples if e.label == PARTISAN and e.spans and len(e.text) <= 280]
    if articles and snippets:
        for _ in range(int(n_inserts * len(examples))):
            out.append(insert_partisan(rng.choice(articles), rng.choice(snippets), rng))
    return out
