"""The module paths of 0.1 that moved, kept working for one release.

After 0.1 the package's loose modules were grouped by pipeline stage (``cpower_network.wording`` is
now ``cpower_network.common.wording``, ``cpower_network.waves_json`` is
``cpower_network.export.comparison_json``…). Importing an old path still works: it gives
the module at its new path (the same object, private names included) and a
:class:`DeprecationWarning` naming the new path. The old paths are kept for one release.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from types import ModuleType

PACKAGE = "cpower_network"
#: Old path (under ``cpower_network.``) -> new path; subpackages follow their parent.
MOVED = {
    "wording": "common.wording",
    "json_text": "common.json_text",
    "console": "cli.console",
    "config_schema": "config.schema",
    "config_reference": "config.reference",
    "settings": "config.settings",
    "scales": "config.scales",
    "study_files": "config.files",
    "groups_policy": "config.groups",
    "init_from": "init",
    "indicators.settings": "config.indicators",
    "anonymize": "ingest.anonymize",
    "summary": "ingest.summary",
    "parallel": "measures.parallel",
    # the module shadowed the function `communities` in `from cpower_network.measures
    # import communities` once loaded
    "measures.communities": "measures.community_detection",
    "ratings": "results.ratings",
    "results_json": "export.results_json",
    "waves_measures": "waves.measures",
    "waves_reading": "waves.reading",
    "waves_tests": "waves.inference",
    "waves_views": "waves.views",
    "waves_json": "export.comparison_json",
}


def new_path(name: str) -> str | None:
    """Where the module once imported as ``name`` lives now (None: it did not move).

    >>> new_path("cpower_network.waves_json"), new_path("cpower_network.init_from.blocks")
    ('cpower_network.export.comparison_json', 'cpower_network.init.blocks')
    >>> new_path("cpower_network.graphs") is None
    True
    """
    if not name.startswith(PACKAGE + "."):
        return None
    old = name[len(PACKAGE) + 1:]
    for before, after in MOVED.items():
        if old == before or old.startswith(before + "."):
            return f"{PACKAGE}.{after}{old[len(before):]}"
    return None


class MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """An old path resolves to its new module (first in :data:`sys.meta_path`, so that a
    module under a moved package, ``cpower_network.init_from.blocks``, is not loaded a
    second time from the moved folder under its old name)."""

    def find_spec(self, fullname, path, target=None):
        if new_path(fullname) is None:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def __init__(self) -> None:
        self._specs: dict[str, object] = {}

    def create_module(self, spec) -> ModuleType:
        target = new_path(spec.name)
        warnings.warn(f"{spec.name} moved to {target}; import it from there (the old path "
                      "is kept for one release)", DeprecationWarning, stacklevel=2)
        module = importlib.import_module(target)
        self._specs.setdefault(module.__name__, module.__spec__)  # replaced on import
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run (the module at its new path is loaded): only give it back its
        own ``__spec__``, which the import system replaced with the old path's."""
        module.__spec__ = self._specs.get(module.__name__, module.__spec__)


def install() -> None:
    """Put the finder first in :data:`sys.meta_path` (once)."""
    if not any(isinstance(f, MovedModuleFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, MovedModuleFinder())
