"""Names a package lends from its modules, loaded on first use (PEP 562).

``cpower_network``, ``measures``, ``config``, ``analysis``, ``results``, ``waves`` and
``cli`` each map their public names to the module defining them; a name's module is
imported the first time the name is asked for, so ``import cpower_network`` and
``cpower --help`` load no numpy, pandas, networkx or igraph, and importing one module of
a package does not load its siblings.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lend(package: str, where: Mapping[str, str],
         namespace: dict[str, Any]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of a package that lends ``where``'s names.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    where : mapping of str to str
        Public name -> the module defining it, relative to ``package``.
    namespace : dict
        The package's ``globals()``: a name loaded once is kept there.

    Returns
    -------
    tuple of callables
        ``(__getattr__, __dir__)``, to assign at the package's top level.

    Examples
    --------
    >>> getattr_, dir_ = lend("json", {"JSONDecoder": "decoder"}, {})
    >>> getattr_("JSONDecoder").__name__, "JSONDecoder" in dir_()
    ('JSONDecoder', True)
    """

    def __getattr__(name: str) -> Any:
        if name in where:
            value = getattr(importlib.import_module(f".{where[name]}", package), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return __getattr__, __dir__
