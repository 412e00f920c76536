"""What ``cpower init --from`` found, before it is written as TOML.

Every guess keeps what it saw (``seen`` and per-key ``notes``, written as ``#`` comments)
and what it could not decide (``checks``, written as ``# CHECK:`` lines).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..ingest.names import NameMatcher
from ..measures.facets import FACETS
from .naming import VALUE_KIND, relation_kind, slug
from .scales import CellKinds, ScaleGuess, family_of


@dataclass
class Block:
    """One question found in an export: a ``[[waves.W.surveys.questions]]`` table.

    Attributes
    ----------
    shape : str
        One of cpower's question shapes.
    keys : dict
        The table's keys after ``shape``, in the order they are written.
    seen : str
        What was seen, written as ``# seen: …`` above the table and in the summary.
    notes : dict
        Key -> a short comment written after that key.
    checks : list of str
        What the user must decide, written as ``# CHECK: …`` lines.
    unmatched : list of str
        Header tokens or cells that name nobody on the roster (left for validation).
    active : bool
        ``False``: the table is written commented out until the user decides.
    """

    shape: str
    keys: dict[str, Any]
    seen: str
    notes: dict[str, str] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    active: bool = True

    @property
    def name(self) -> str:
        """The relation, decision or ``items`` this block feeds (for the summary)."""
        return str(self.keys.get("relation") or self.keys.get("decision") or "items")


@dataclass
class SurveyGuess:
    """One export: how to read it and the questions found in it."""

    file: str
    platform: str
    header_rows: int
    responses: int
    respondent: str = ""
    notes: dict[str, str] = field(default_factory=dict)
    timestamp: str | None = None
    blocks: list[Block] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


@dataclass
class FocusGuess:
    """A ``[focus_groups]`` entry (written commented out when it cannot be expressed)."""

    key: str
    column: str
    label: str
    note: str = ""
    checks: list[str] = field(default_factory=list)
    active: bool = True
    values: list[str] = field(default_factory=list)  # empty: a yes/no column
    bounds: dict[str, float] = field(default_factory=dict)  # at_most / at_least


@dataclass
class RosterGuess:
    """The roster's columns, as far as they could be recognised."""

    file: str
    members: int
    keys: dict[str, str]
    matcher: NameMatcher
    notes: dict[str, str] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    commented: dict[str, str] = field(default_factory=dict)
    focus: list[FocusGuess] = field(default_factory=list)
    yes_no_columns: list[str] = field(default_factory=list)


@dataclass
class RelationGuess:
    """A ``[relations.X]`` table: a kind of tie some questions ask about."""

    key: str
    label: str
    scale: str
    symmetric: bool
    about: str
    role: str | None = None
    sources: list[str] = field(default_factory=list)
    active: bool = False
    known: bool = True


@dataclass
class Registry:
    """Scales, relations and decision ids shared by every export of the study."""

    scales: dict[str, ScaleGuess] = field(default_factory=dict)
    relations: dict[str, RelationGuess] = field(default_factory=dict)
    decisions: set[str] = field(default_factory=set)

    def scale_for(self, kinds: CellKinds, source: str, *, fallback: str) -> ScaleGuess:
        """The scale for labels seen in one block: the shared scale of their family
        (created or extended), or a new scale named ``fallback`` when no family
        orders them."""
        family = family_of(kinds.labels)
        if family is not None:
            scale = self.scales.setdefault(family.name, ScaleGuess(family.name, family))
        else:
            name = fallback
            number = 2
            while name in self.scales or name in ("tie", "yesno"):
                name, number = f"{fallback}_{number}", number + 1
            scale = self.scales[name] = ScaleGuess(name, None)
        scale.add(kinds, source)
        return scale

    def relation_for(self, text: str, scale: str, *, active: bool = True,
                     facet: str | None = None) -> RelationGuess:
        """The relation a question's text asks about, on ``scale``.

        Questions asking about the same relation on the same scale share it (several
        trust grids are averaged); the same relation on another scale gets its own key.
        A grid rating a value facet (power, involvement, resources) is the ``value``
        relation whatever else its wording mentions.
        """
        kind = VALUE_KIND if FACETS.get(facet or "") == "value" else relation_kind(text)
        base = kind.key if kind else slug(text)
        key, number = base, 2
        while key in self.relations and self.relations[key].scale != scale:
            key, number = f"{base}_{number}", number + 1
        relation = self.relations.get(key)
        if relation is None:
            relation = self.relations[key] = RelationGuess(
                key=key, label=kind.label if kind else text_label(text), scale=scale,
                symmetric=kind.symmetric if kind else False,
                about=kind.about if kind else "", role=kind.role if kind else None,
                known=kind is not None)
        relation.sources.append(text)
        relation.active = relation.active or active
        return relation

    def decision_key(self, topic: str) -> str:
        """A unique decision id for ``topic``."""
        base = slug(topic, fallback="decision")
        key, number = base, 2
        while key in self.decisions:
            key, number = f"{base}_{number}", number + 1
        self.decisions.add(key)
        return key


def text_label(text: str) -> str:
    """A relation label from a question text nobody recognised.

    >>> text_label("Who would you call in a crisis? - {member}")
    'Call crisis'
    """
    return slug(text, limit=4).replace("_", " ").capitalize()


@dataclass
class StudyGuess:
    """Everything found: the roster, one wave of exports, and what they share."""

    name: str
    wave: str
    roster: RosterGuess
    surveys: list[SurveyGuess]
    registry: Registry

    def checks(self) -> list[str]:
        """Every CHECK, in the order it is written."""
        found = list(self.roster.checks)
        found += [c for f in self.roster.focus for c in f.checks]
        found += [c for s in self.registry.scales.values() for c in s.checks()]
        found += [f"relation {r.key}: its question matched no relation cpower knows"
                  for r in self.registry.relations.values() if not r.known]
        if not any(r.active for r in self.registry.relations.values()):
            found.append("no question about ties between members could be read, and cpower "
                         "needs at least one [relations.X] table")
        for survey in self.surveys:
            found += survey.checks
            found += [c for b in survey.blocks for c in b.checks]
        return found
