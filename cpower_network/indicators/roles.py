"""Which relation an evidence item reads: relations are found by their *role*.

Every relation may play one role (``[relations.<key>] role``): ``collaboration``,
``trust``, ``advice``, ``influence``, ``resources`` or ``knows``. Indicators look their
evidence up by role, never by the relation's name, so a study whose collaboration
question is called ``work_together`` is scored like one that calls it ``collaborate``.

The rules, in order:

1. An ``[indicators] <role>_relation`` setting changed from its default names the
   relation outright (kept for studies written before roles).
2. Otherwise the relations of the wave that play the role, in configuration order; when
   several do, the first is used and a note names the others.
3. When none does, the evidence is *not measured*, and the reason says how to fix it.

A role read from a relation's key (``collaborate`` → collaboration, see
:data:`cpower_network.config.relations.ROLE_FROM_KEY`) rather than declared is used, with a note
saying so on every evidence item that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config.indicators import IndicatorSettings
from ..results.model import RelationResult, Results

#: What the relation playing each role asks, for "add role = …" advice.
ROLE_QUESTIONS = {
    "collaboration": "who works with whom",
    "trust": "whom members trust",
    "advice": "whom members go to for advice",
    "influence": "whose opinion carries weight",
    "resources": "who shares resources (funds, staff, space) with whom",
    "knows": "who knows whom",
    "value": "how much each partner is worth to the coalition (power, involvement, "
             "resources)",
}


@dataclass
class Source:
    """The relation an evidence item reads for a role, or why there is none.

    Attributes
    ----------
    relation : RelationResult or None
    reason : str or None
        "not measured: …" when ``relation`` is None.
    notes : list of str
        What a reader should know about the choice (inferred role, several candidates).
    """

    relation: RelationResult | None
    reason: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        return None if self.relation is None else self.relation.key

    @property
    def undirected(self) -> bool:
        return self.relation is not None and not self.relation.graph.is_directed()


def no_role_reason(role: str) -> str:
    """Why evidence of ``role`` is not measured when no relation plays it.

    >>> no_role_reason("collaboration")
    'not measured: no relation plays the role \\'collaboration\\': add role = "collaboration" to the relation that asks who works with whom'
    """  # noqa: E501
    return (f"not measured: no relation plays the role {role!r}: add role = \"{role}\" to "
            f"the relation that asks {ROLE_QUESTIONS[role]}")


def relation_for(results: Results, settings: IndicatorSettings, role: str) -> Source:
    """The relation of ``results``' wave that plays ``role`` (see the module docstring).

    Parameters
    ----------
    results : Results
    settings : IndicatorSettings
    role : str
        One of :data:`ROLE_QUESTIONS`.

    Returns
    -------
    Source
    """
    relations = results.wave.relations
    named = settings.relation_override(role)
    if named is not None:
        found = relations.get(named)
        return Source(found, None if found else
                      f"not measured: no {named!r} relation in this wave")
    playing = [r for r in relations.values() if r.graph.graph.get("role") == role]
    if not playing:
        return Source(None, no_role_reason(role))
    return Source(playing[0], notes=_choice_notes(playing, role))


def _choice_notes(playing: list[RelationResult], role: str) -> list[str]:
    """Notes on the relation chosen for ``role`` (the first of ``playing``)."""
    chosen = playing[0]
    notes = []
    if chosen.graph.graph.get("role_inferred"):
        notes.append(f"read from {chosen.key!r}, whose role ({role}) was inferred from "
                     f"its key: declare role = \"{role}\" under [relations.{chosen.key}] "
                     "to confirm")
    if len(playing) > 1:
        others = ", ".join(repr(r.key) for r in playing[1:])
        notes.append(f"several relations play the role {role!r}: the first, "
                     f"{chosen.key!r}, is used ({others} not)")
    return notes


def undirected_note(source: Source, what: str) -> list[str]:
    """A note for evidence read from an undirected relation, where ``what`` (e.g.
    "trust received") counts every tie a member has, whoever reported it."""
    if not source.undirected:
        return []
    return [f"{source.key!r} is undirected: {what} counts every tie a member has, "
            "whoever reported it"]
