"""Where the result objects hand their ``to_html``, ``to_json`` and ``export`` calls.

:class:`~cpower_network.results.model.Results` and
:class:`~cpower_network.waves.comparison.Comparison` sit below the stages that write
them (report, JSON, exports), so they never import those stages. The package's entry
point (``cpower_network/__init__.py``), which knows every stage, registers here which
function writes what; a result's convenience method looks its writer up and calls it,
as pandas' ``DataFrame.to_csv`` hands off to its io package.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Writer name -> ``"module:function"``, registered by :func:`register`.
WRITERS: dict[str, str] = {}


def register(name: str, target: str) -> None:
    """Name the function (``"package.module:function"``) that writes ``name``."""
    WRITERS[name] = target


def write(name: str, *args: Any, **kwargs: Any) -> Any:
    """Call the writer registered as ``name`` with the arguments given.

    Raises
    ------
    KeyError
        No writer is registered under ``name``.
    """
    if name not in WRITERS:
        raise KeyError(f"no writer is registered for {name!r}; writers: "
                       + ", ".join(sorted(WRITERS)))
    module, function = WRITERS[name].split(":")
    return getattr(importlib.import_module(module), function)(*args, **kwargs)
