"""Shared test helpers: build a small study folder on disk, run the command line.

``make_study(toml, files)`` writes ``cpower.toml`` and the given files (text or bytes,
paths relative to the study folder) into a fresh folder under ``tmp_path`` and returns
that folder. Text is written exactly as given (UTF-8, no newline translation), so a test
controls every byte of a CSV it cares about by passing ``bytes``.

``run_cli(*args)`` invokes ``cpower`` through click's :class:`~click.testing.CliRunner`
and returns the result; ``result.stdout``, ``result.stderr`` and ``result.exit_code`` are
what a user would see.

``example_analysed`` is the example study with both waves analysed (1000 permutations),
computed once per session for the modules that only read it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result


def write_files(root: Path, files: Mapping[str, str | bytes | Path]) -> None:
    """Write ``files`` (relative path -> text, bytes, or a file to copy) under ``root``."""
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode("utf-8"))


@pytest.fixture
def make_study(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``make_study(toml, files=None, name="study") -> Path`` of the folder."""

    def make(toml: str, files: Mapping[str, str | bytes | Path] | None = None, *,
             name: str = "study") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        write_files(root, {"cpower.toml": toml, **(files or {})})
        return root

    return make


@pytest.fixture(scope="session")
def example_analysed():
    """The example study and its waves analysed with 1000 permutations:
    ``(study, {wave: Results})``. Shared by several modules: read it, never change it."""
    import cpower_network as cp
    from cpower_network.analysis.pipeline import analyze

    study = cp.load_study(cp.example_study_path())
    settings = study.config.analysis.with_options(permutations=1000)
    return study, {w: analyze(study, w, settings=settings) for w in ("2024", "2025")}


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Factory: ``run_cli(*args) -> click Result`` of ``cpower args…``."""
    from cpower_network.cli.commands import main

    def run(*args: object) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args])

    return run
