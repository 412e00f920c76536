"""The package's folders are the pipeline's stages, and data flow one way through them.

Every ``import`` in ``cpower_network/`` is read from the source (module level, inside
functions and under ``TYPE_CHECKING`` alike: a lazy import is still a dependency), and
each is checked against the order of the stages below: a module may import its own stage
and the stages before it, never a later one. Since the order is strict, no import circle
can run between stages; within a stage, a circle fails the test too (there is none).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "cpower_network"

#: The stages, first to last (ARCHITECTURE.md's pipeline; cli and api are thin shells).
STAGES = [
    ("foundation", {"_version", "_moved", "errors", "common"}),
    ("measures", {"measures"}),
    ("configuration", {"config"}),
    ("ingest", {"ingest"}),
    ("init", {"init"}),                   # cpower init: templates, or a study from exports
    ("graphs", {"graphs"}),
    ("weave", {"weave"}),
    ("results", {"results"}),
    ("indicators", {"indicators"}),
    ("analysis", {"analysis"}),
    ("waves", {"waves"}),
    ("report", {"report"}),
    ("export", {"export"}),
    ("api", {"api"}),
    ("cli", {"cli", "__main__", ""}),      # "" is the package itself: its entry point
]
RANK = {room: rank for rank, (_, rooms) in enumerate(STAGES) for room in rooms}

#: Import circles between modules of one stage that are accepted (each a set of modules):
#: none today. A new one fails :func:`test_no_new_circle_inside_a_stage`.
KNOWN_CIRCLES: list[set[str]] = []


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every ``cpower_network`` module or name ``path`` imports, as absolute names."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {f for f in found if f == "cpower_network" or f.startswith("cpower_network.")}


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def room(module: str) -> str:
    """The stage folder (or root module) a module belongs to: ``cpower_network.x.y`` → x."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def resolved(target: str, known: set[str]) -> str:
    """The module an imported name lives in (``a.b.func`` → ``a.b``)."""
    while target not in known and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


def module_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {m: {resolved(t, known) for t in imports_of(p)} - {m} for m, p in found.items()}


def test_every_folder_and_root_module_has_a_stage():
    rooms = {room(m) for m in modules()}
    assert rooms - set(RANK) == set(), "add the new folder to STAGES in tests/test_layers.py"
    assert set(RANK) - rooms == set(), "a stage in STAGES no longer exists"


def test_no_stage_imports_a_later_stage():
    wrong = []
    for module, targets in module_graph().items():
        for target in targets:
            if RANK[room(target)] > RANK[room(module)]:
                wrong.append(f"{module} ({STAGES[RANK[room(module)]][0]}) imports {target} "
                             f"({STAGES[RANK[room(target)]][0]}, a later stage)")
    assert wrong == []


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return circles


def test_no_circle_between_stages():
    rooms: dict[str, set[str]] = defaultdict(set)
    for module, targets in module_graph().items():
        rooms[room(module)].update(room(t) for t in targets if room(t) != room(module))
    assert strongly_connected(rooms) == []


def test_no_new_circle_inside_a_stage():
    new = [c for c in strongly_connected(module_graph()) if c not in KNOWN_CIRCLES]
    assert new == []


@pytest.mark.parametrize("source, expected", [
    ("from ...report import write_report\n", {"cpower_network.report.write_report"}),
    ("def f():\n    from ...export import export\n", {"cpower_network.export.export"}),
    ("import cpower_network.api as api\nimport json\n", {"cpower_network.api"}),
])
def test_the_walk_sees_lazy_and_absolute_imports(tmp_path, monkeypatch, source, expected):
    """The checker itself: imports inside functions and absolute ones are found."""
    fake = tmp_path / "cpower_network" / "results" / "deep"
    fake.mkdir(parents=True)
    (fake / "mod.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.PACKAGE_DIR", tmp_path / "cpower_network")
    assert imports_of(fake / "mod.py") == expected


def test_a_later_import_is_reported(tmp_path, monkeypatch):
    """A results module importing the report (the circle this layout removed) fails."""
    root = tmp_path / "cpower_network"
    for folder in ("results", "report"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("", encoding="utf-8")
    (root / "__init__.py").write_text("", encoding="utf-8")
    (root / "results" / "model.py").write_text(
        "def to_html(self):\n    from ..report import write_report\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.PACKAGE_DIR", root)
    graph = module_graph()
    assert graph["cpower_network.results.model"] == {"cpower_network.report"}
    with pytest.raises(AssertionError, match=re.escape(
            "results.model (results) imports cpower_network.report (report, a later stage")):
        test_no_stage_imports_a_later_stage()
