"""``[relations]``: the kinds of tie the surveys ask about, and their reader.

A :class:`Relation` says how its ties run (directed, or undirected by a reciprocity rule),
how several answers about one pair combine into one tie weight, and the evidence role it
plays for the indicators (declared, or inferred from its key: :data:`ROLE_FROM_KEY`).
:func:`_read_relations` reads and checks the table for
:func:`cpower_network.config.study.parse_config`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from . import reference
from .scales import TIE, YES_NO, Scale, number_text
from .schema import TableReader, _check_key, closest

COMBINE_RULES = ("mean", "max", "sum")
#: How a relation's ties run: ``directed`` (u → v: u reported v) or ``undirected``.
DIRECTIONS = ("directed", "undirected")
#: How the two members' reports about a pair become one undirected tie.
RECIPROCITY_RULES = ("either", "both", "mean")
#: The evidence roles indicators look relations up by (docs/methods.md §Indicators).
ROLES = ("collaboration", "trust", "advice", "influence", "resources", "knows", "value")
#: Roles whose ties mean two members are in touch (the weaver's worklist reads only these).
CONTACT_ROLES = ("collaboration", "knows", "advice", "trust")
#: Relation keys whose role is inferred when the study declares none for them.
ROLE_FROM_KEY = {"collaborate": "collaboration", "collaboration": "collaboration",
                 "know": "knows", "knows": "knows", "trust": "trust", "advice": "advice",
                 "influence": "influence", "resources": "resources", "value": "value"}


@dataclass(frozen=True)
class Relation:
    """A kind of tie the surveys ask about (``collaborate``, ``trust``, ``advice``…).

    Attributes
    ----------
    key : str
        Identifier used everywhere (graphs, reports, exports).
    label : str
        Human-readable name for reports.
    scale : str
        Name of the answer scale in ``[scales]`` (``"tie"``: any mention is 1).
    symmetric : bool
        Mutual by nature (``know``, ``collaborate``). True for every undirected
        relation; on a relation kept ``directed`` it lets the "union" rule rebuild a
        non-respondent's arcs from what others reported.
    combine : {"mean", "max", "sum"}
        How several answers about the same pair (several trust items, several decisions)
        become one tie weight.
    strong : float or None
        Value at or above which a tie counts as strong (e.g. "collaborate" or "trust"
        level); ``None`` means the scale's upper half.
    direction : {"directed", "undirected"}
        ``directed``: an arc u → v is u's own report. ``undirected``: the two members'
        reports about a pair become one tie by ``reciprocity``, and every measure reads
        the relation as an undirected graph. ``symmetric = true`` alone means
        ``"undirected"``.
    reciprocity : {"either", "both", "mean"}
        For an undirected relation: a tie when either member reported it (weight: the
        larger report), when both did (the smaller), or the mean of the two reports (a
        report not made counting 0). When one member of the pair could not report (did
        not answer, or was not asked about the other), the one report that exists is used.
    role : str or None
        The evidence this relation is for (one of :data:`ROLES`), or ``None``.
    role_inferred : bool
        The role was read from the key (see :data:`ROLE_FROM_KEY`), not declared.
    """

    key: str
    label: str
    scale: str = "tie"
    symmetric: bool = False
    combine: str = "mean"
    strong: float | None = None
    direction: str = "directed"
    reciprocity: str = "either"
    role: str | None = None
    role_inferred: bool = False

    @property
    def directed(self) -> bool:
        return self.direction == "directed"


def _read_relations(table: Mapping[str, Any], scales: Mapping[str, Scale],
                    problems: list[str], broken: Collection[str] = ()) -> dict[str, Relation]:
    relations = {}
    known_scales = list(dict.fromkeys([*scales, "tie", "yesno"]))
    for key, spec in table.items():
        _check_key(key, "[relations]", problems)
        reader = TableReader(spec, f"[relations.{key}]", problems)
        reader.check_keys(reference.keys("relations"))
        scale = reader.text("scale", "tie") or "tie"
        if scale not in known_scales:
            hint = closest(scale, known_scales)
            problems.append(f"[relations.{key}] scale {scale!r} is not defined under "
                            f"[scales]" + (f"; did you mean {hint!r}?" if hint else ""))
        symmetric, direction, reciprocity = _read_direction(reader, key, problems)
        declared = reader.choice("role", ROLES, "") if "role" in reader.table else None
        relations[key] = Relation(
            key=key,
            label=reader.text("label") or key.replace("_", " ").capitalize(),
            scale=scale,
            symmetric=symmetric,
            combine=reader.choice("combine", COMBINE_RULES, "mean"),
            strong=reader.number("strong", above=0, fix=1),
            direction=direction,
            reciprocity=reciprocity,
            role=declared or None,
        )
        if scale not in broken:
            _check_weights(relations[key], scales.get(scale) or BUILT_IN.get(scale),
                           problems)
    if not relations:
        problems.append("no [relations] defined: add at least one, e.g. "
                        '[relations.collaborate] scale = "frequency"')
    return _infer_roles(relations)


BUILT_IN = {"tie": TIE, "yesno": YES_NO}


def _check_weights(relation: Relation, scale: Scale | None, problems: list[str]) -> None:
    """A relation's answers are tie weights: a tie is a weight above 0, and a weight of
    0 or less is no tie. A scale with negative numbers would turn those answers into
    "no tie" without a word (and one with no number above 0, the whole relation), and a
    ``strong`` above the scale's top would make no tie strong."""
    where = f"[relations.{relation.key}]"
    if scale is None or not scale.values:  # the built-in scales, or reported already
        return
    low, high = min(scale.values), max(scale.values)
    if low < 0 or high <= 0:
        why = ("so no answer could make a tie" if high <= 0 else
               "so an answer below 0 would silently be no tie")
        problems.append(
            f"{where} scale {relation.scale!r} runs from {number_text(low)} to "
            f"{number_text(high)}, but a relation's answers are tie weights from 0 (no "
            f"tie) up, {why}. Fix: number the labels of [scales] {relation.scale} from "
            '0 up (e.g. "Never" = 0, "Sometimes" = 1, "Often" = 2)')
    elif relation.strong is not None and relation.strong > high \
            and relation.combine != "sum":
        problems.append(
            f"{where} strong = {number_text(relation.strong)} is above the highest "
            f"value of scale {relation.scale!r} ({number_text(high)}), so no tie could "
            f"be strong. Fix: strong = {number_text(high)} (or a value between "
            f"{number_text(low)} and {number_text(high)}), or leave strong out for the "
            "scale's upper half")


def _read_direction(reader: TableReader, key: str,
                    problems: list[str]) -> tuple[bool, str, str]:
    """``(symmetric, direction, reciprocity)`` of ``[relations.<key>]``.

    ``symmetric = true`` alone means ``direction = "undirected"``; with ``direction =
    "directed"`` it keeps its old meaning (the "union" rule may rebuild a non-respondent's
    arcs). An undirected relation declared ``symmetric = false``, and ``reciprocity`` on a
    directed relation, are contradictions.
    """
    where = f"[relations.{key}]"
    symmetric = reader.boolean("symmetric", False)
    direction = reader.choice("direction", DIRECTIONS,
                              "undirected" if symmetric else "directed")
    if direction == "undirected" and "symmetric" in reader.table and not symmetric:
        problems.append(f'{where} direction = "undirected" contradicts symmetric = false: '
                        "an undirected relation is symmetric; remove symmetric")
    reciprocity = reader.choice("reciprocity", RECIPROCITY_RULES, "either")
    if direction == "directed" and "reciprocity" in reader.table:
        problems.append(f"{where} reciprocity only applies to an undirected relation: "
                        'add direction = "undirected" or remove reciprocity')
    return symmetric or direction == "undirected", direction, reciprocity


def _infer_roles(relations: dict[str, Relation]) -> dict[str, Relation]:
    """Give a relation without a declared role the role its key names (``collaborate``
    → ``collaboration``, see :data:`ROLE_FROM_KEY`), unless another relation declares
    that role; such a role is flagged ``role_inferred``."""
    declared = {r.role for r in relations.values() if r.role}
    found = {}
    for key, relation in relations.items():
        role = ROLE_FROM_KEY.get(key)
        if relation.role is None and role is not None and role not in declared:
            relation = replace(relation, role=role, role_inferred=True)
        found[key] = relation
    return found
