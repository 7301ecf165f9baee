"""The package's shape: imports flow one way, nothing imports the command line, importing the
package is cheap, public functions take few parameters (the rest go in options objects), and no
module is long."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "netral_nlp"
MAX_PARAMETERS = 8
MAX_MODULE_LINES = 400  # issue 12: split a longer module along its stages (as normalize/ is)


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """netral_nlp modules that ``name`` imports anywhere in its source (in functions too)."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {name: _imports(name, path, set(mods)) for name, path in mods.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_walker_sees_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycle(graph) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
    graph = _graph()
    assert "netral_nlp.inference.backends" in graph["netral_nlp.inference.classifier"]
    assert "netral_nlp.cli.score" in graph["netral_nlp.cli.main"]  # "from . import score"
    assert "netral_nlp.normalize.config" in graph["netral_nlp.normalize"]  # a package's "from .config import"


def test_no_import_cycle_among_netral_nlp_modules():
    cycle = _cycle(_graph())
    assert cycle is None, ("import cycle: " + " -> ".join(cycle) + " (imports inside functions count too: "
                           "move what both need into a module lower down)")


def test_nothing_outside_the_cli_imports_it():
    offenders = {name: sorted(t for t in deps if t.startswith("netral_nlp.cli"))
                 for name, deps in _graph().items()
                 if not name.startswith("netral_nlp.cli") and name != "netral_nlp.__main__"}
    assert not {k: v for k, v in offenders.items() if v}


def _run(code: str) -> str:
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout.strip()


def test_import_netral_nlp_does_not_import_torch():
    heavy = "('torch', 'transformers', 'pandas', 'sklearn', 'pyarrow')"
    code = f"import netral_nlp, sys; print(sorted(m for m in {heavy} if m in sys.modules))"
    assert _run(code) == "[]"
    # the command line parses its arguments before anything heavy is imported
    code = ("import sys; from netral_nlp.cli.main import build_parser; build_parser(); "
            f"print(sorted(m for m in {heavy} if m in sys.modules))")
    assert _run(code) == "[]"


def test_public_api_names_resolve():
    pytest.importorskip("torch")  # the Python 3.10 smoke test in .ci/run has no torch
    import netral_nlp

    for name in netral_nlp.__all__:
        assert getattr(netral_nlp, name) is not None, name
    assert netral_nlp.normalize_text("yg").text == "yang"
    import netral_nlp.normalize  # the subpackage, not a function of the same name

    assert type(netral_nlp.normalize).__name__ == "module" and netral_nlp.normalize.normalize is netral_nlp.normalize_text
    assert "normalize" not in netral_nlp.__all__
    assert netral_nlp.score_file.__module__ == "netral_nlp.batch.run"
    assert netral_nlp.ScoreOptions.__module__ == "netral_nlp.batch.options"


def test_public_functions_take_few_parameters():
    too_many = []
    for name, path in _modules().items():
        if any(part.startswith("_") for part in name.split(".")[1:]):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes = [(None, tree.body)] + [(n.name, n.body) for n in tree.body
                                        if isinstance(n, ast.ClassDef) and not n.name.startswith("_")]
        for owner, body in scopes:
            for fn in body:
                if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                if fn.name.startswith("_") and fn.name != "__init__":
                    continue
                args = fn.args
                params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs if a.arg not in ("self", "cls")]
                if len(params) > MAX_PARAMETERS:
                    too_many.append(f"{name}.{owner + '.' if owner else ''}{fn.name}: {len(params)}")
    assert not too_many, too_many


def test_no_module_is_long():
    lines = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in _modules().items()}
    assert len(lines) > 20
    long = {name: n for name, n in lines.items() if n > MAX_MODULE_LINES}
    assert not long, (f"modules over {MAX_MODULE_LINES} lines: {long}; split each along its stages into a "
                      "package (see netral_nlp/normalize/)")
