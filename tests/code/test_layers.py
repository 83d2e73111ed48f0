"""The import structure: layers point down only (params/errors < features < models < pipeline), no circles.

Read from the code itself (every import statement, including those inside functions), so a new
import that climbs a layer or closes a loop fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {"leadsift": "leadsift", "features": "leadsift.features", "models": "leadsift.models",
           "pipeline": "leadsift.pipeline"}
LAYER = {"leadsift.errors": 0, "leadsift.params": 0, "leadsift": 0, "leadsift.features": 1, "leadsift.models": 2,
         "leadsift.pipeline": 3}


def _modules() -> dict[str, Path]:
    found = {}
    for folder, package in FOLDERS.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if folder == "leadsift" and len(parts) > 1:
                continue
            name = ".".join((package, *parts)).removesuffix(".__init__")
            found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                out.add(name)
    return out


def _layer(module: str) -> int:
    best = max((p for p in LAYER if module == p or module.startswith(p + ".")), key=len)
    return LAYER[best]


GRAPH = {name: _imports(path, _modules()) - {name} for name, path in _modules().items()}


def test_imports_point_down_only():
    assert _layer("leadsift.models.scoring") > _layer("leadsift.features.build") > _layer("leadsift.params")
    climbing = [(a, b) for a, targets in GRAPH.items() for b in targets if _layer(b) > _layer(a)]
    assert climbing == []


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import loop (a -> b -> ... -> a), or [] when there is none (depth-first search)."""
    done: set[str] = set()

    def visit(path: list[str]) -> list[str]:
        for nxt in sorted(graph.get(path[-1], ())):
            if nxt in path:
                return [*path[path.index(nxt):], nxt]
            if nxt not in done:
                found = visit([*path, nxt])
                if found:
                    return found
        done.add(path[-1])
        return []

    for start in sorted(graph):
        found = [] if start in done else visit([start])
        if found:
            return found
    return []


def test_no_import_circles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]  # the check itself works
    assert find_cycle(GRAPH) == []


def test_the_model_code_needs_no_pipeline():
    """What ships with the model (params, errors, features, models) must not reach into the commands."""
    shipped = [m for m in GRAPH if _layer(m) <= 2]
    assert all(_layer(t) <= 2 for m in shipped for t in GRAPH[m])
    assert len(shipped) > 20


def test_every_package_folder_is_installed():
    """pyproject lists packages by hand (the folders map onto leadsift.*): a new sub-package must be listed,
    or a non-editable install (a wheel, CI, a Spark worker) would lack it."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {name for name, path in _modules().items() if path.name == "__init__.py"}
    assert found == listed
