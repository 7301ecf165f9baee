"""CI's mirror check: ``../shared/corpora`` served over loopback HTTP, fetched with ``netral data
fetch --mirror`` into a temporary folder (only the files the annotations and fine-tuning read),
and every annotation resolved from there; the recipe's real negatives are the same texts. Skips
where ``../shared/corpora`` is absent (a user's clone)."""
from __future__ import annotations

from pathlib import Path

import pytest
from loopback import serve

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from netral_nlp.cli.main import main
from netral_nlp.data.real import FETCH_STATE, SPLITS, load_real, read_annotations, unannotated_negatives
from netral_nlp.data.sources import load_examples

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpora"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent (a user's clone)")


@pytest.fixture(scope="module")
def fetched(tmp_path_factory):
    target = tmp_path_factory.mktemp("corpora")
    with serve(SHARED) as (url, _):
        code = main(["data", "fetch", "--mirror", url, "--target", str(target), "--only",
                     "annotations,fine-tuning", "--quiet"])
    assert code == 0
    return target


@pytest.fixture(autouse=True)
def no_default_corpora(monkeypatch, tmp_path):
    """Where the library ignores ``corpora=`` and falls back on its default lookup, it fails."""
    monkeypatch.setenv("NETRAL_CORPORA", str(tmp_path / "not-here"))


def test_every_annotation_resolves_from_the_fetched_copy(fetched):
    assert (fetched / FETCH_STATE).is_file()
    n = 0
    for split in SPLITS:
        got = load_real(split, corpora=fetched)
        assert [(e.id, e.text) for e in got] == [(e.id, e.text) for e in load_real(split, corpora=SHARED)]
        n += len(got)
    assert n == len(read_annotations())
    assert len(load_examples(["real:dev", "real:other"], corpora=fetched)) == \
        len(load_real("dev", SHARED)) + len(load_real("other", SHARED))


def test_the_fetched_copy_loads_as_a_datasets_dict(fetched):
    from netral_nlp.data import real_dataset

    ds = real_dataset(corpora=fetched, splits=SPLITS)
    assert {k: len(v) for k, v in ds.items()} == {s: len(load_real(s, SHARED)) for s in SPLITS}
    assert sum(ds["train"]["label"]) == sum(e.label == "partisan" for e in load_real("train", SHARED))


def test_the_recipes_real_negatives_are_the_same(fetched):
    recipe = tomllib.loads((ROOT / "models" / "netral-mini.toml").read_text(encoding="utf-8"))
    wanted = {s: min(n, 40) for s, n in recipe["train"]["real_negatives"].items()}  # same picks, fewer of them
    got = unannotated_negatives(wanted, seed=42, corpora=fetched)
    assert [(e.id, e.text) for e in got] == [(e.id, e.text) for e in unannotated_negatives(wanted, 42, SHARED)]
