"""Write ``netral_nlp/data/corpora_manifest.json`` from a corpora folder (the lab's ``../shared/corpora``).

The manifest lists every corpora file the project reads (the real-text sources of
:mod:`netral_nlp.data.real`: the annotations, the fine-tuning negatives of ``models/netral-mini.toml``
and the pretraining sources of ``tools/pretrain_encoder.py``), each with its sha1 and size (computed
here), its upstream (repository, pinned commit, path(s)), its licence and how it is derived.
``netral data fetch`` (:mod:`netral_nlp.corpora`) rebuilds and verifies the folder from it.

    python tools/build_corpora_manifest.py --corpora ../shared/corpora
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "netral_nlp" / "data" / "corpora_manifest.json"
TWEETS = {"anies": "Anies Baswedan", "ganjar": "Ganjar Pranowo", "prabowo": "Prabowo Subianto"}
# Upstreams, as ../shared/corpora/README.md names them. "upstream": None where no public file can be
# fetched and derived by a stated rule (Debian packages, hand-picked samples): mirror only.
UPSTREAMS = {
    "indonlu": {"repository": "IndoNLP/indonlu", "commit": "ce728f6", "licence": "Apache-2.0",
                "attribution": "IndoNLU (Wilie et al., 2020), Apache-2.0", "derivation": "verbatim"},
    "pemilu2024_tweets": {"repository": "ghazafm/twitter-sentiment-analysis", "commit": "d123ad5",
                          "licence": "MIT",
                          "attribution": "ghazafm/twitter-sentiment-analysis (MIT); tweets collected from "
                                         "X/Twitter by a third party",
                          "derivation": "tweets2024"},
    "extra/stif_tweets": {"repository": "haryoa/stif-indonesia", "commit": "4bb2d90", "licence": "MIT",
                          "attribution": "STIF-Indonesia (Wibowo et al., 2020), MIT", "derivation": "lines",
                          # the lab's copy starts with dev.for then dev.inf: sorted paths, labelled then unlabelled
                          "upstream": [[f"data/labelled/{s}.{k}", "lines"]
                                       for s in ("dev", "test", "train") for k in ("for", "inf")]
                          + [[f"data/unlabelled/batch{i}.inf", "lines"] for i in sorted(map(str, range(12)))]},
    "extra/indosum_dev": {"repository": "JoshuaGlaZ/indogist", "commit": "7d4976e", "licence": "CC-BY-SA-4.0",
                          "attribution": "IndoSum (Kurniawan and Louvan, 2018), CC BY-SA 4.0", "derivation": "lines",
                          "upstream": [[f"data/indosum/dev.0{i}.jsonl", "indosum"] for i in range(1, 6)]},
    "extra/idkmrc_contexts": {"repository": "rifkiaputri/IDK-MRC", "commit": "e79b427", "licence": "CC-BY-SA-4.0",
                              "attribution": "IDK-MRC (Putri and Oh, 2022) on TyDiQA paragraphs, CC BY-SA 4.0",
                              "derivation": "lines",
                              "upstream": [[f"dataset/idk_mrc/{s}.json", "json:context"]
                                           for s in ("train", "valid", "test")]},
    "extra/indonli_premises": {"repository": "ir-nlp-csui/indonli", "commit": "7b55d82", "licence": "CC-BY-SA-4.0",
                               "attribution": "IndoNLI (Mahendra et al., 2021), CC BY-SA 4.0", "derivation": "lines",
                               "upstream": [[f"data/indonli/{s}.jsonl", "json:premise"]
                                            for s in ("train", "val", "test_lay", "test_expert")]},
    "extra/nusax_ind": {"repository": "IndoNLP/nusax", "commit": "75b0be5", "licence": "CC-BY-SA-4.0",
                        "attribution": "NusaX (Winata et al., 2023), Indonesian side, CC BY-SA 4.0",
                        "derivation": "lines",
                        "upstream": [[f"datasets/sentiment/indonesian/{s}.csv", "csv:text"]
                                     for s in ("train", "valid", "test")]},
    "extra/react_docs_id": {"repository": "reactjs/id.react.dev", "commit": "b4f5eaf", "licence": "CC-BY-4.0",
                            "attribution": "React documentation in Indonesian (reactjs/id.react.dev), CC BY 4.0"},
    "extra/ud_indonesian": {"repository": "UniversalDependencies/UD_Indonesian-GSD (and -CSUI, -PUD)",
                            "commit": None, "licence": "CC-BY-SA-4.0",
                            "attribution": "Universal Dependencies Indonesian GSD, CSUI and PUD, CC BY-SA 4.0"},
    "extra/laws_sample": {"repository": "mblonyox/data-peraturan", "commit": "c87e616", "licence": "public domain",
                          "attribution": "Indonesian statutes via mblonyox/data-peraturan (no copyright, UU 28/2014 "
                                         "art. 42)"},
    "extra/debian_handbook_id": {"repository": "Debian package debian-handbook", "commit": "11.20220922",
                                 "licence": "CC-BY-SA-3.0", "attribution": "The Debian Administrator's Handbook "
                                 "(Hertzog and Mas), CC BY-SA 3.0"},
    "extra/gnome_help_id": {"repository": "Debian package gnome-user-docs", "commit": "43.0-2",
                            "licence": "CC-BY-SA-3.0", "attribution": "GNOME Help, CC BY-SA 3.0"},
    "extra/kicad_doc_id": {"repository": "Debian package kicad-doc-id", "commit": "6.0.11", "licence": "CC-BY-3.0",
                           "attribution": "KiCad documentation, CC BY 3.0"},
}


def _sha1_file(path: Path) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _uses() -> dict[str, list[str]]:
    import tomllib

    from netral_nlp.data.real import read_annotations
    from tools.pretrain_encoder import SOURCES

    uses: dict[str, set] = {}
    for a in read_annotations():
        uses.setdefault(a["source"], set()).add("annotations")
    recipe = tomllib.loads((ROOT / "models" / "netral-mini.toml").read_text(encoding="utf-8"))
    for s in recipe["train"].get("real_negatives", {}):
        uses.setdefault(s, set()).add("fine-tuning")
    for s in SOURCES:
        uses.setdefault(s, set()).add("pretraining")
    return {s: sorted(u) for s, u in sorted(uses.items())}


def build(corpora: Path) -> dict:
    from netral_nlp.data.real import source_path

    files = []
    for source, used_by in _uses().items():
        path = source_path(source)
        folder, _, stem = source.partition("/")
        up = dict(UPSTREAMS.get(source) or UPSTREAMS[folder])
        if up.get("derivation") == "verbatim":
            upstream = [["dataset/" + path.split("/", 1)[1], "verbatim"]]
        elif up.get("derivation") == "tweets2024":
            upstream = [[f"Datasets/original data/{TWEETS[stem]}.csv", "tweets2024"]]
        else:
            upstream = up.pop("upstream", None)
        files.append({"path": path, "source": source, "sha1": _sha1_file(corpora / path),
                      "size": (corpora / path).stat().st_size, "used_by": used_by,
                      "repository": up["repository"], "commit": up["commit"], "licence": up["licence"],
                      "attribution": up["attribution"], "derivation": up.get("derivation", "mirror-only"),
                      "upstream": upstream})
    return {"format": 1,
            "about": "Every corpora file netral-nlp reads: sha1 and size of the lab's copy, upstream, licence and "
                     "derivation (see the README section 'Real corpora: netral data fetch'). Built by "
                     "tools/build_corpora_manifest.py.",
            "files": files}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--out", default=str(OUT))
    a = ap.parse_args()
    manifest = build(Path(a.corpora))
    Path(a.out).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(manifest['files'])} files, {sum(f['size'] for f in manifest['files']) / 1e6:.1f} MB -> {a.out}")


if __name__ == "__main__":
    main()
