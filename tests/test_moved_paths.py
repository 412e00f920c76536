"""The module paths of 0.1 keep working for one release: each old path gives the module at
its new path (the same object) and a DeprecationWarning naming where it went."""

from __future__ import annotations

import importlib
import sys

import pytest

from cpower_network._moved import MOVED, new_path

OLD_PATHS = sorted(f"cpower_network.{old}" for old in MOVED)


@pytest.mark.parametrize("old", OLD_PATHS)
def test_an_old_path_is_the_new_module_with_a_warning(old):
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} moved to {new_path(old)}; import it "
                                                "from there"):
        module = importlib.import_module(old)
    assert module is importlib.import_module(new_path(old))
    assert module.__spec__.name == new_path(old)      # its own spec, not the old path's


def test_names_import_from_an_old_path():
    sys.modules.pop("cpower_network.wording", None)
    sys.modules.pop("cpower_network.init_from.blocks", None)
    with pytest.warns(DeprecationWarning):
        from cpower_network.init_from.blocks import numbered_stem
        from cpower_network.wording import counted
    from cpower_network.common.wording import counted as new_counted
    from cpower_network.init.blocks import numbered_stem as new_numbered_stem
    assert counted is new_counted and numbered_stem is new_numbered_stem
    assert counted(2, "member") == "2 members"


def test_the_packages_that_kept_their_path_still_hold_their_names():
    """``cpower_network.config``, ``.results``, ``.analysis``, ``.waves`` and ``.cli`` were
    modules and are packages now: their names load from the module inside."""
    from cpower_network.analysis import analyze
    from cpower_network.config import Relation, read_config
    from cpower_network.results import Results
    from cpower_network.waves import Comparison, compare

    assert analyze.__module__ == "cpower_network.analysis.pipeline"
    assert Relation.__module__ == "cpower_network.config.relations"
    assert read_config.__module__ == "cpower_network.config.study"
    assert Results.__module__ == "cpower_network.results.model"
    assert Comparison.__module__ == compare.__module__ == "cpower_network.waves.comparison"


def test_an_unknown_name_is_still_an_attribute_error():
    import cpower_network.config

    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        cpower_network.config.nope  # noqa: B018


@pytest.mark.parametrize("package", ["measures", "config", "analysis", "results", "waves",
                                     "cli"])
def test_no_module_shadows_a_name_its_package_lends(package):
    """A package that loads its names on first use must not hold a module of the same
    name: once that module is imported, ``from package import name`` would give the
    module (``measures.communities`` once shadowed the function ``communities``)."""
    import pkgutil

    module = importlib.import_module(f"cpower_network.{package}")
    submodules = {info.name for info in pkgutil.iter_modules(module.__path__)}
    assert submodules & set(module._WHERE) == set()
    for name in module._WHERE:                       # every lent name resolves
        assert getattr(module, name) is not None
