"""cpower-network: coalition surveys → member networks → how power is shared.

>>> import cpower_network as cp
>>> cp.__version__
'0.1.0'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import _moved
from ._version import __version__
from .common import handoff
from .common.lazy import lend
from .errors import ConfigError, CpowerError, DataError, GraphError, UsageError

# The writers behind results.to_html() and friends: the result objects never import the
# stages that write them (see cpower_network.common.handoff); this entry point knows both.
handoff.register("report", "cpower_network.report:write_report")
handoff.register("results_json", "cpower_network.export.results_json:write_json")
handoff.register("export", "cpower_network.export:export")
handoff.register("compare_report", "cpower_network.report.compare:write_compare_report")
handoff.register("comparison_json", "cpower_network.export.comparison_json:write_comparison_json")

_moved.install()  # the module paths of 0.1 keep working, with a DeprecationWarning

if TYPE_CHECKING:  # imported on first use (see __getattr__), so `cpower --help` is quick
    from .api import analyze
    from .ingest import Study, WaveData, load_study
    from .waves.comparison import Comparison, compare

#: Public names loaded on first use -> the module that defines them. Importing the
#: package stays light (no numpy, pandas, networkx or igraph until a name is used).
_LAZY = {"analyze": "api", "Study": "ingest", "WaveData": "ingest", "load_study": "ingest",
         "Comparison": "waves", "compare": "waves"}


__getattr__, __dir__ = lend(__name__, _LAZY, globals())


def example_study_path() -> Path:
    """The bundled example study (a fictional child-care coalition, two waves)."""
    return Path(__file__).parent / "data" / "example"


__all__ = [
    "Comparison",
    "ConfigError",
    "CpowerError",
    "DataError",
    "GraphError",
    "Study",
    "UsageError",
    "WaveData",
    "__version__",
    "analyze",
    "compare",
    "example_study_path",
    "load_study",
]
