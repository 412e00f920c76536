"""The weaver's worklist: who is disconnected, and whom to introduce to whom, through whom
(docs/methods.md §Weaver's worklist).

* :mod:`.worklist` — isolates, pendants, gatekeepers, articulation points, the periphery;
* :mod:`.introductions` — the two moves: close a triangle, bridge a gap;
* :mod:`.gaps` — bridge opportunities (silo pairs least in touch for their size);
* :mod:`.study` — the worklist of a study's wave, with names.
"""

from .gaps import silo_gaps
from .introductions import INTRODUCTION_COLUMNS, suggest_introductions
from .study import StudyWorklist, study_worklist
from .worklist import Worklist, not_asked_reasons, worklist

__all__ = ["INTRODUCTION_COLUMNS", "StudyWorklist", "Worklist", "not_asked_reasons",
           "silo_gaps", "study_worklist", "suggest_introductions", "worklist"]
