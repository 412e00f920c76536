"""Ingest: survey exports and the roster read into answers, every problem located.

Knows nothing of graphs. :mod:`.study` loads a study folder (:func:`load_study`);
:mod:`.roster`, :mod:`.rosterrows` and :mod:`.rostercells` read the roster;
:mod:`.tables`, :mod:`.csvrecords`, :mod:`.textfiles` and :mod:`.workbooks` read CSV
and XLSX files; :mod:`.survey`, :mod:`.questions`, :mod:`.filecontext`,
:mod:`.columns`, :mod:`.coding`, :mod:`.conflicts`, :mod:`.names` and
:mod:`.nonmembers` turn a survey's cells into answers; :mod:`.quality` keeps the
ledger of problems and answers set aside, :mod:`.summary` sums it up, and
:mod:`.anonymize` replaces names with stable codes.
"""

from .quality import DataQuality
from .study import Study, WaveData, load_study

__all__ = ["DataQuality", "Study", "WaveData", "load_study"]
