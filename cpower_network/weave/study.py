"""The worklist of one wave of a study, with names and silos (``cpower weave``)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from ..common.wording import either
from ..graphs import build_graph, contact_graph
from .worklist import Worklist, worklist

__all__ = ["StudyWorklist", "study_worklist"]


@dataclass
class StudyWorklist:
    """A worklist with the graph it was read from (for names and silos)."""

    worklist: Worklist
    graph: nx.DiGraph
    wave: str
    relation: str
    silo_label: str = "silo"  # the roster's silo column, to name numeric codes

    def name(self, member: str) -> str:
        return str(self.graph.nodes[member].get("name", member))

    def silo(self, member: str) -> str:
        return str(self.graph.nodes[member].get("silo", ""))

    def introductions(self) -> pd.DataFrame:
        """Suggested introductions with names, silos and reasons (``cpower weave --csv``):
        see :func:`introduction_frame`."""
        names = {v: self.name(v) for v in self.graph}
        silos = {v: self.silo(v) for v in self.graph}
        return introduction_frame(self.worklist.introductions, names, silos)


def introduction_frame(frame: pd.DataFrame, names: dict[str, str],
                       silos: dict[str, str]) -> pd.DataFrame:
    """Suggested introductions as a spreadsheet reads them: ``kind, member_id, member,
    member_silo, member_answered, suggested_id, suggested, suggested_silo,
    suggested_answered, introducer_id, introducer, shared_contacts, score, reason``."""
    introducer = frame["introducer"].where(frame["introducer"].notna(), "")
    return pd.DataFrame({
        "kind": frame["kind"],
        "member_id": frame["member"], "member": frame["member"].map(names),
        "member_silo": frame["member"].map(silos),
        "member_answered": frame["member_answered"],
        "suggested_id": frame["suggested"], "suggested": frame["suggested"].map(names),
        "suggested_silo": frame["suggested"].map(silos),
        "suggested_answered": frame["suggested_answered"],
        "introducer_id": introducer,
        "introducer": introducer.map(lambda z: names.get(z, z) if z else ""),
        "shared_contacts": frame["shared"].map(len), "score": frame["score"],
        "reason": frame["reason"],
    }, columns=INTRODUCTION_CSV_COLUMNS)


INTRODUCTION_CSV_COLUMNS = ["kind", "member_id", "member", "member_silo", "member_answered",
                            "suggested_id", "suggested", "suggested_silo",
                            "suggested_answered", "introducer_id", "introducer",
                            "shared_contacts", "score", "reason"]


def study_worklist(study, *, wave: str | None = None, relation: str | None = None,
                   top: int = 3, progress=None, allow_problems: bool = False) -> StudyWorklist:
    """The worklist of one wave, on one relation or on any tie in any relation (see
    :func:`worklist` for each list's definition and references).

    Raises
    ------
    DataError
        The study's data has errors and ``allow_problems`` is false (an answer set
        aside could make someone look disconnected).

    Examples
    --------
    >>> import cpower_network as cp
    >>> found = study_worklist(cp.load_study(cp.example_study_path()), wave="2024")
    >>> [found.name(m) for m in found.worklist.isolates]
    ['William Foster', 'Denise Howard', 'Crystal Begay']
    """
    say = progress or (lambda _message: None)
    data = study.wave(wave)
    study.require_clean(allow_problems=allow_problems)
    say(f"building the graphs of wave {data.key}")
    if relation is None:
        G = contact_graph(study, data.key)
        label = either(G.graph["in_touch"], "no relation")
    else:
        G = build_graph(study, relation, data.key)
        label = relation
    found = worklist(G, focus=study.focus_groups, top=top, progress=say,
                     focus_labels=focus_labels(study))
    return StudyWorklist(found, G, data.key, label, study.config.roster.silo)


def focus_labels(study) -> dict[str, str]:
    """Focus-group key -> its label, for reasons."""
    return {g.key: g.label for g in study.config.focus_groups}
