"""``cpower init``: write a study folder from the templates shipped in the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import UsageError

TEMPLATE_PACKAGE = "cpower_network.templates"


def template_files() -> list[tuple[str, bytes]]:
    """(relative path, content) of every file of the study template."""
    root = resources.files(TEMPLATE_PACKAGE).joinpath("init")
    found: list[tuple[str, bytes]] = []

    def walk(node, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name.startswith((".", "__")):
                continue
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            else:
                found.append((f"{prefix}{child.name}", child.read_bytes()))

    walk(root, "")
    return found


def write_study_templates(folder: Path, *, force: bool = False) -> list[Path]:
    """Write the study template into ``folder``.

    Raises
    ------
    UsageError
        When a file would be overwritten and ``force`` is not set.
    """
    files = template_files()
    clashes = [name for name, _ in files if (folder / name).exists()]
    if clashes and not force:
        raise UsageError(f"{folder} already has {', '.join(clashes)}; choose an empty "
                         "folder, or pass --force to overwrite them")
    written = []
    for name, content in files:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written
