"""cpower-network: coalition surveys → member networks → how power is shared.

>>> import cpower_network as cp
>>> cp.__version__
'0.1.0'
"""

from __future__ import annotations

from pathlib import Path

from ._version import __version__
from .api import analyze
from .errors import ConfigError, CpowerError, DataError, GraphError, UsageError
from .ingest import Study, WaveData, load_study
from .waves import Comparison, compare


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
