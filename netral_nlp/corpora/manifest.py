"""The committed manifest of the corpora folder (``netral_nlp/data/corpora_manifest.json``): every file
the project reads, with its sha1, size, upstream (repository, pinned commit, paths), licence,
attribution and derivation (:mod:`netral_nlp.corpora.derive`). Rebuilt by
``tools/build_corpora_manifest.py``."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

MANIFEST = Path(__file__).resolve().parents[1] / "data" / "corpora_manifest.json"
RAW_GITHUB = "https://raw.githubusercontent.com"
GITHUB = "https://github.com"
USES = ("annotations", "fine-tuning", "pretraining")


@dataclass(frozen=True)
class Entry:
    path: str  # inside the corpora folder
    source: str  # the source name of netral_nlp.data.real, e.g. indonlu/smsa
    sha1: str
    size: int
    used_by: tuple[str, ...]
    repository: str
    commit: str | None
    licence: str
    attribution: str
    derivation: str  # verbatim | tweets2024 | lines | mirror-only
    upstream: tuple[tuple[str, str], ...]  # (path in the repository, format)

    @property
    def byte_exact(self) -> bool:
        """True where an upstream rebuild must give the pinned bytes (so the sha1 is checked)."""
        return self.derivation in ("verbatim", "tweets2024")

    def upstream_urls(self, path: str, base: str = RAW_GITHUB) -> list[str]:
        """Where ``path`` at the pinned commit is: ``<base>/<repository>/<commit>/<path>``; for
        GitHub with an abbreviated commit also ``github.com/<repository>/raw/<commit>/<path>``, which
        resolves abbreviations (tried when the first answers 404)."""
        from .download import join

        urls = [join(base, f"{self.repository}/{self.commit}/{path}")]
        if base == RAW_GITHUB and len(str(self.commit)) < 40:
            urls.append(join(GITHUB, f"{self.repository}/raw/{self.commit}/{path}"))
        return urls


def load_manifest(path: str | Path = MANIFEST) -> list[Entry]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [Entry(path=f["path"], source=f["source"], sha1=f["sha1"], size=f["size"], used_by=tuple(f["used_by"]),
                  repository=f["repository"], commit=f["commit"], licence=f["licence"],
                  attribution=f["attribution"], derivation=f["derivation"],
                  upstream=tuple(tuple(u) for u in f["upstream"] or ()))
            for f in data["files"]]


def select(entries: list[Entry], only: list[str] | tuple[str, ...] | str | None) -> list[Entry]:
    """Entries named by ``only``: uses (``annotations``, ``fine-tuning``, ``pretraining``), sources
    (``indonlu/smsa``) or folders (``extra``); all when None."""
    if not only:
        return list(entries)
    wanted = [w.strip() for w in (only.split(",") if isinstance(only, str) else only) if w.strip()]
    unknown = [w for w in wanted if w not in USES and not any(
        e.source == w or e.source.split("/")[0] == w for e in entries)]
    if unknown:
        raise ValueError(f"--only: unknown {unknown}; use {', '.join(USES)}, a folder or a source "
                         f"(e.g. {entries[0].source})")
    return [e for e in entries if any(w in e.used_by or w in (e.source, e.source.split("/")[0]) for w in wanted)]


def attribution(entries: list[Entry]) -> list[str]:
    """One line per upstream: what it is, where from, its licence (for the terminal and the model card)."""
    lines, seen = [], set()
    for e in sorted(entries, key=lambda e: ("annotations" not in e.used_by, "fine-tuning" not in e.used_by)):
        key = (e.repository, e.attribution)
        if key in seen:
            continue
        seen.add(key)
        where = f"{e.repository} @ {e.commit}" if e.commit else e.repository
        lines.append(f"{e.attribution} [{where}; licence {e.licence}]")
    return lines
