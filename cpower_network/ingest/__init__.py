"""Ingest: read, map columns, match names, validate. Knows nothing of graphs."""

from .quality import DataQuality
from .study import Study, WaveData, load_study

__all__ = ["DataQuality", "Study", "WaveData", "load_study"]
