"""The notebooks in ``notebooks/`` are committed without outputs and run top to bottom offline.

They run in a fresh kernel of this interpreter (a kernelspec written to a temporary
``JUPYTER_PATH``, so whatever ``python3`` kernel the machine has does not matter), in a
temporary working directory, with ``HF_HUB_OFFLINE=1`` and matplotlib's Agg backend. When the
shipped model (``models/netral-mini``) has not been trained, ``NETRAL_MODEL`` points the
quickstart at the tiny test model.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
SHIPPED_WEIGHTS = ROOT / "models" / "netral-mini" / "model.safetensors"
KERNEL = "netral-nlp-test"

# Extra cells appended to a notebook before it runs: they check what the notebook built.
CHECKS = {
    "quickstart.ipynb": """
import matplotlib.pyplot as plt
from netral_nlp import Prediction, PredictionList
assert isinstance(p, Prediction) and isinstance(preds, PredictionList) and len(preds) == len(posts)
assert len(scored) == len(df) and {"label", "score", "spans", "error"} <= set(scored.columns)
assert scored["error"].isna().all() or (scored["error"].fillna("") == "").all(), scored["error"]
assert plt.get_fignums(), "no chart was drawn"
assert set(metrics) >= {"macro_f1", "partisan_precision", "partisan_recall", "span_char_f1"}
assert (result.output_dir / "model.safetensors").exists()
print("CHECKS OK")
""",
    "fine_tune_indobert.ipynb": """
assert HUB is False, "the tests run offline"
assert len(splits["train"]) > 0 and config.base_model == BASE_MODEL
assert 3 <= config.epochs <= 5 and 2e-5 <= config.learning_rate <= 5e-5
assert 256 <= config.settings.max_length <= 512 and 64 <= config.settings.stride <= 128 and 16 <= config.batch_size <= 32
print("CHECKS OK")
""",
}


def test_expected_notebooks_exist():
    assert {p.name for p in NOTEBOOKS} >= {"quickstart.ipynb", "fine_tune_indobert.ipynb"}
    assert set(CHECKS) <= {p.name for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    """Outputs bloat diffs and go stale: strip them before committing
    (``jupyter nbconvert --clear-output --inplace notebooks/*.ipynb``)."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {i} has outputs"
            assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"
        assert "execution" not in cell.get("metadata", {}), f"{path.name} cell {i} has timing metadata"
    assert "widgets" not in nb.metadata


@pytest.fixture(scope="session")
def kernel_dir(tmp_path_factory) -> Path:
    """A kernelspec that starts ipykernel with this very interpreter (the venv's)."""
    pytest.importorskip("ipykernel")
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "netral-nlp tests", "language": "python",
    }), encoding="utf-8")
    return root


def _execute(path: Path, workdir: Path, monkeypatch, request, check: str):
    """Run the notebook plus ``check`` in a fresh kernel; return (stream text, rich HTML) of the outputs."""
    nbclient = pytest.importorskip("nbclient")
    from nbformat.v4 import new_code_cell

    monkeypatch.setenv("JUPYTER_PATH", str(request.getfixturevalue("kernel_dir")))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")
    monkeypatch.setenv("PYTHONWARNINGS", "ignore::DeprecationWarning")
    # the kernel imports netral_nlp from this checkout even if it is not installed
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    nb = nbformat.read(path, as_version=4)
    monkeypatch.delenv("NETRAL_MODEL", raising=False)
    if not SHIPPED_WEIGHTS.exists() and any("NETRAL_MODEL" in c.source for c in nb.cells):
        monkeypatch.setenv("NETRAL_MODEL", str(request.getfixturevalue("tiny_model_dir")))

    nb.cells.append(new_code_cell(check))
    client = nbclient.NotebookClient(nb, kernel_name=KERNEL, timeout=300, startup_timeout=120,
                                     resources={"metadata": {"path": str(workdir)}})
    client.execute()  # raises CellExecutionError, with the failing cell and traceback, on any error

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "CHECKS OK" in streams
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs
                   if o.output_type in ("execute_result", "display_data"))
    return streams, html


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path, monkeypatch, request):
    monkeypatch.delenv("NETRAL_BASE_MODEL", raising=False)
    streams, html = _execute(path, tmp_path, monkeypatch, request, CHECKS.get(path.name, "print('CHECKS OK')"))
    if path.name == "quickstart.ipynb":
        assert 'class="netral-prediction"' in html and 'class="netral-predictions"' in html
    if path.name == "fine_tune_indobert.ipynb":
        assert "Skipped: the base model" in streams


@pytest.mark.slow
def test_fine_tune_notebook_with_local_base_model(tmp_path, monkeypatch, request, tiny_encoder):
    """The cells guarded by ``if HUB:`` also run: a local encoder stands in for IndoBERT."""
    monkeypatch.setenv("NETRAL_BASE_MODEL", str(tiny_encoder))
    check = """
assert HUB is True
assert (Path(OUTPUT_DIR) / "model.safetensors").exists() and (Path(OUTPUT_DIR) / "README.md").exists()
assert {"macro_f1", "partisan_precision", "span_char_f1"} <= set(metrics)
print("CHECKS OK")
"""
    streams, html = _execute(ROOT / "notebooks" / "fine_tune_indobert.ipynb", tmp_path, monkeypatch, request,
                             check)
    assert "Skipped" not in streams and "trained in" in streams
    assert 'class="netral-predictions"' in html
