"""Results as versioned JSON (``cpower analyze --json``, ``cpower export --format json``).

The document is plain JSON with sorted keys, no NaN (missing values are ``null``) and no
timestamps, so the same results give the same bytes.

A document is written for an audience. ``evaluator`` (the default) holds everything
below. ``retreat`` (the shared view) holds group-level figures only: no member id, name
or individual score, and none of the focus groups or silos the retreat report leaves out
(fewer members than its suppression threshold; see
:mod:`cpower_network.report.shared`); its layout is under :func:`shared_document`.

``wave.not_asked`` (per relation, the members nobody was asked about: their ties are
unknown, not absent) and ``wave.worklist.not_asked`` (why each is left out of the
worklist) are written only when someone was not asked about; their absence means every
member was asked about in every relation. ``format_version`` changes when a
field changes meaning or disappears; new fields may be added within a version.

Layout (``format_version`` 1)::

    {
      "format_version": 1, "cpower_version": "…", "seed": 1, "audience": "evaluator",
      "study": {"name", "waves", "relations", "focus_groups", "silo_label"},
      "settings": {…analysis settings…},
      "wave": {
        "key", "label", "members": [ids], "newcomers": [ids], "previous_wave",
        "tests_run": number of permutation tests behind the q-values,
        "groups": {key: {"label", "members": [ids]}},
        "response": [{group, members, respondents, rate}],
        "perceptions": [{item, group, mean, answers, others, gap, …}],
        "relations": {key: {
            "label", "nonrespondents", "respondents", "structure": {…},
            "direction", "reciprocity", "role", "role_inferred", "not_measured",
            "ties": [[from, to, weight]], "centralities": [{member, …}],
            "parity": [...], "differences": [{…, p_value, q_value}], "concentration": {…},
            "ei": {value, expected, p_value, q_value, permutations, internal, external,
                   by_group, by_member, response_rates: {silo: share answered},
                   testable},
            "mixing": {"silos": [...], "counts": [[…]], "density": [[…]]},
            "assortativity", "brokerage": [{member, …}], "bridging": {member: [silos]},
            "communities": {partition, modularity, count, attribute_modularity, nmi,
                            engine},
            "strength": {…}}},
        "decisions": {decisions, scores, parity, gini, participation, voice, formal,
                      named_by_group} | null,
        "worklist": {isolates, pendants, outside_main, no_cross_silo, gatekeepers,
                     articulation_points, periphery, silo_gaps, did_not_answer,
                     in_touch: [relation labels], in_touch_note (why other relations
                     count too: the study declares no contact role; "" otherwise),
                     introductions: [{kind, member, suggested, introducer, shared, score,
                                      reason, member_answered, suggested_answered}],
                     not_asked: {member: reason}},
        "ratings": {"network": {score: {share, pairs, raters, scale_max, facets}},
                    "members": [{member, trust, value, trust_raters, value_raters}],
                    "pairs": [{rater, rated, score, share, facets}],
                    "silos": [{score, silo, members, members_rated, mean}],
                    "groups": [{score, group, members_rated, mean, mean_all, parity,
                                difference, p_value, permutations, testable, withheld,
                                q_value}],
                    "agreement": [{measure, label, pairs, icc, mean_difference,
                                   disagree, range, low}],
                    "disagreements": [{measure, member, partner, rating, rating_back,
                                       difference}], "units": {measure: unit}} | null,
        "not_asked": {relation or "decisions": [ids]}
      },
      "indicators": [{key, label, score, band, reading, items: [{key, label, score,
                      weight, components: [{label, raw, score, how}], breakdown, notes}]}],
      "findings": [text],
      "quality": {members, errors, warnings, counts, unmatched: [{text, count}], waves}
    }
"""

from __future__ import annotations

import dataclasses
import math
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..common import json_text
from ..errors import UsageError
from ..results.model import RelationResult, Results
from ..weave import Worklist

FORMAT_VERSION = 1
AUDIENCES = ("evaluator", "retreat")


#: The exact types :func:`plain` returns unchanged (and float, when finite).
_AS_IS = frozenset({str, int, bool, type(None)})
_AS_IS_OR_FLOAT = _AS_IS | {float}
_STR_ONLY = frozenset({str})
#: numpy dtype kinds whose ``tolist()`` gives what :func:`plain` makes of each value:
#: ints and bools as they are; floats still to be checked for NaN and infinities.
_NUMERIC_KINDS = frozenset("iubf")


def plain(value: Any) -> Any:
    """Convert results values to JSON-ready Python (NaN → None, numpy → Python).

    >>> plain({"a": float("nan"), "b": np.int64(3), "c": (1.5, None)})
    {'a': None, 'b': 3, 'c': [1.5, None]}
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return None if math.isnan(value) or math.isinf(value) else value
    if kind is dict and _STR_ONLY.issuperset(map(type, value)):
        values = list(value.values())
        if _already_plain(values):
            return dict(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return _plain_list(items)
    if isinstance(value, pd.DataFrame):
        return _records(value.reset_index()
                        if value.index.name or not isinstance(value.index, pd.RangeIndex)
                        else value)
    if isinstance(value, pd.Series):
        return dict(zip(map(str, value.index), _plain_column(value), strict=True))
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _already_plain(values: list[Any]) -> bool:
    """Whether :func:`plain` returns each of ``values`` unchanged: all are str, int, bool,
    None or finite floats (exact types; numpy scalars and subclasses are converted)."""
    kinds = set(map(type, values))
    if kinds <= _AS_IS:
        return True
    if not kinds <= _AS_IS_OR_FLOAT:
        return False
    return all(map(math.isfinite, [v for v in values if type(v) is float]))


def _plain_list(values: Any) -> list[Any]:
    """``[plain(v) for v in values]``, copied in one go when nothing needs converting."""
    values = list(values)
    return values if _already_plain(values) else [plain(v) for v in values]


def _plain_column(column: pd.Series) -> list[Any]:
    """``[plain(v) for v in column.tolist()]``, a whole numpy column at a time: its
    ``tolist()`` gives Python ints, bools and floats, and NaN or infinite floats become
    None by their positions."""
    values = column.tolist()
    dtype = column.dtype
    if not isinstance(dtype, np.dtype) or dtype.kind not in _NUMERIC_KINDS:
        return _plain_list(values)
    if dtype.kind == "f":
        for position in np.flatnonzero(~np.isfinite(column.to_numpy())).tolist():
            values[position] = None
    return values


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``plain`` of each of ``frame.to_dict("records")``, built column by column."""
    names = [str(c) for c in frame.columns]
    columns = [_plain_column(column) for _, column in frame.items()]
    if not columns:
        return [{} for _ in range(len(frame))]
    return list(map(dict, map(partial(zip, names), zip(*columns, strict=True))))


def _frame(frame: pd.DataFrame, index: str) -> list[dict[str, Any]]:
    table = frame.copy()
    table.index.name = index
    return plain(table.reset_index())


def relation_document(r: RelationResult) -> dict[str, Any]:
    return {
        **_group_figures(r),
        "ties": _ties(r.graph),
        "centralities": _frame(r.centralities, "member"),
        "ei": plain(r.ei),
        "brokerage": _frame(r.brokerage, "member"),
        "bridging": plain(r.bridging), "communities": plain(r.communities),
    }


def _ties(graph: Any) -> list[list[Any]]:
    """``[from, to, weight]`` of each edge of ``graph``, its weight made :func:`plain`."""
    ties = [[u, v, w] for u, v, w in graph.edges(data="weight")]
    if not _already_plain(list(map(itemgetter(2), ties))):
        for tie in ties:
            tie[2] = plain(tie[2])
    return ties


def _group_figures(r: RelationResult) -> dict[str, Any]:
    """What both audiences' documents hold of a relation: its group- and silo-level
    figures (the E-I, brokerage, bridging and communities differ by audience)."""
    return {
        "label": r.label, "symmetric": r.symmetric, "nonrespondents": r.nonrespondents,
        "respondents": r.respondents, "structure": plain(r.structure),
        **_reading(r.graph.graph),
        "parity": plain(r.parity), "differences": _differences(r.differences),
        "concentration": plain(r.concentration),
        "mixing": {"silos": [str(s) for s in r.mixing.index],
                   "counts": plain(r.mixing.to_numpy().tolist()),
                   "density": plain(r.density.to_numpy().tolist())},
        "assortativity": plain(r.assortativity), "strength": plain(r.strength),
    }


def _differences(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The group differences, each with its ``q_value`` (``null`` when untested)."""
    if "q_value" not in frame:
        frame = frame.assign(q_value=math.nan)
    return plain(frame)


def _reading(about: dict[str, Any]) -> dict[str, Any]:
    """How a relation's graph is to be read: ``direction`` ("directed"/"undirected"),
    ``reciprocity`` (an undirected relation's rule, with ``reciprocity_note``), ``role``
    and ``role_inferred``, and ``not_measured`` (measure -> why)."""
    found = {"direction": about.get("direction", "directed"),
             "reciprocity": about.get("reciprocity"), "role": about.get("role"),
             "role_inferred": bool(about.get("role_inferred", False)),
             "not_measured": dict(about.get("not_measured", {}))}
    if about.get("reciprocity_note"):
        found["reciprocity_note"] = about["reciprocity_note"]
    return found


def results_document(results: Results, *, audience: str = "evaluator") -> dict[str, Any]:
    """The JSON document of ``results`` for ``audience`` (see the module docstring).

    Raises
    ------
    UsageError
        ``audience`` is not one of :data:`AUDIENCES`.
    """
    if audience not in AUDIENCES:
        raise UsageError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    if audience != "evaluator":
        return shared_document(results)
    wave = results.wave
    decisions = _shared_decisions(wave.decisions)
    if decisions is not None:
        decisions.update(scores=_frame(wave.decisions.scores, "member"),
                         formal=_frame(wave.decisions.formal, "member"))
    return {
        "format_version": FORMAT_VERSION,
        "cpower_version": results.version,
        "seed": results.seed,
        "anonymized": results.anonymized,
        "audience": "evaluator",
        "study": plain(dataclasses.asdict(results.study)),
        "settings": plain(results.settings),
        "wave": {
            "key": wave.wave, "label": wave.label, "members": list(wave.members),
            "newcomers": list(wave.newcomers), "previous_wave": wave.previous_wave,
            "tests_run": wave.tests_run,
            "newcomer_degree": plain(wave.newcomer_degree),
            "groups": {g.key: {"label": g.label, "members": list(g.members)}
                       for g in wave.groups},
            "response": _frame(wave.response, "group"),
            "perceptions": plain(wave.perceptions),
            "relations": {k: relation_document(r) for k, r in wave.relations.items()},
            "decisions": decisions,
            "worklist": _worklist(wave.worklist),
            "ratings": _ratings(wave.ratings),
            **({"not_asked": plain(wave.not_asked)} if wave.not_asked else {}),
        },
        "indicators": _indicators(results),
        "findings": [f.text for f in results.indicators.findings],
        "quality": _quality(results),
    }


def _worklist(work: Worklist) -> dict[str, Any]:
    """The worklist's lists; ``not_asked`` only when someone was not asked about."""
    found = {
        "isolates": work.isolates, "pendants": work.pendants,
        "outside_main": work.outside_main, "no_cross_silo": work.no_cross_silo,
        "gatekeepers": work.gatekeepers,
        "articulation_points": _frame(work.articulation_points, "member"),
        "periphery": work.periphery,
        "introductions": plain(work.introductions),
        "silo_gaps": plain(work.silo_gaps),
        "did_not_answer": list(work.did_not_answer), "in_touch": list(work.in_touch),
        "in_touch_note": work.in_touch_note,
    }
    if work.not_asked:
        found["not_asked"] = dict(work.not_asked)
    return found


def _ratings(ratings: Any, *, shared: bool = False) -> dict[str, Any] | None:
    """Trust and value scores and dyadic agreement; a shared document keeps the network,
    silo and group figures only (no member, no pair)."""
    if ratings is None or not ratings.asked:
        return None
    scores = ratings.scores
    found = {"network": plain(scores.network), "silos": plain(scores.silos),
             "groups": plain(scores.groups)}
    if shared:
        return found
    return {**found, "members": _frame(scores.members, "member"),
            "pairs": plain(scores.pairs), "agreement": plain(ratings.agreement),
            "disagreements": plain(ratings.disagreements), "units": dict(ratings.units)}


def _indicators(results: Results) -> list[dict[str, Any]]:
    found = []
    for m in results.indicators.milestones:
        found.append({
            "key": m.key, "label": m.label, "score": plain(m.score), "band": m.band,
            "reading": m.reading,
            "items": [{"key": i.key, "label": i.label, "score": plain(i.score),
                       "weight": i.weight, "components": plain(i.components),
                       "breakdown": plain(i.breakdown), "notes": list(i.notes)}
                      for i in m.items],
        })
    return found


def _quality(results: Results) -> dict[str, Any]:
    q = results.quality
    return {
        "members": q.members, "silos": q.silos, "focus_groups": q.focus_groups,
        "errors": q.errors, "warnings": q.warnings, "counts": q.counts,
        "unmatched": [{"text": u.text, "count": u.count} for u in q.unmatched],
        "waves": [_wave_quality(w) for w in q.waves],
    }


def _wave_quality(w: Any) -> dict[str, Any]:
    """One wave's response and data quality (by group only)."""
    return {"wave": w.wave, "members": w.members, "respondents": w.respondents,
            "rates": _frame(w.rates, "group"), "ties": w.ties,
            "nonzero_ties": w.nonzero_ties, "set_aside": w.set_aside}


# -- the shared (retreat) document ------------------------------------------------------

def shared_document(results: Results) -> dict[str, Any]:
    """The retreat audience's document: what the retreat report shows, and no more.

    Built from the same results as the retreat report
    (:func:`cpower_network.report.view.audience_results`): focus groups and silos with
    fewer members than the suppression threshold are gone, and ``left_out`` says which.
    No member id, name or individual score is written: member lists are counts, the
    brokerage and bridging tables are summed by silo, communities carry no partition,
    the E-I no per-member values.

    Layout::

        {"format_version", "cpower_version", "seed", "anonymized", "audience": "retreat",
         "study", "settings",
         "left_out": {"threshold", "focus_groups": [labels], "silos": [silos],
                      "items": [evidence items not shown]},
         "wave": {"key", "label", "member_count", "newcomer_count", "previous_wave",
                  "tests_run", "groups": {key: {"label", "size"}}, "response",
                  "perceptions",
                  "relations": {key: {"label", "symmetric", "nonrespondents",
                                      "respondents", "structure", "direction", …,
                                      "parity", "differences", "concentration",
                                      "ei": {… without by_member}, "mixing",
                                      "assortativity", "brokerage_by_silo",
                                      "bridging_by_silo", "communities": {…},
                                      "strength"}},
                  "decisions": {decisions, parity, gini, participation, voice,
                                named_by_group, voice_scale} | null,
                  "worklist": {"counts": {list: members}, "silo_gaps"},
                  "ratings": {"network", "silos", "groups"} | null,
                  "not_asked": {relation: members}},
         "indicators", "findings",
         "quality": {members, silos: {silo: members}, errors, warnings, counts,
                     wave: {wave, members, respondents, rates, ties, nonzero_ties,
                            set_aside}}}
    """
    from ..report.shared import silo_sizes
    from ..report.view import audience_results

    shown, left_out = audience_results(results, "retreat")
    wave = shown.wave
    return {
        "format_version": FORMAT_VERSION, "cpower_version": results.version,
        "seed": results.seed, "anonymized": results.anonymized, "audience": "retreat",
        "study": plain(dataclasses.asdict(results.study)),
        "settings": plain(results.settings),
        "left_out": {"threshold": left_out.threshold,
                     "focus_groups": list(left_out.groups), "silos": list(left_out.silos),
                     "items": list(left_out.items)},
        "wave": {
            "key": wave.wave, "label": wave.label, "member_count": len(wave.members),
            "newcomer_count": len(wave.newcomers), "previous_wave": wave.previous_wave,
            "tests_run": wave.tests_run,
            "groups": {g.key: {"label": g.label, "size": g.size} for g in wave.groups},
            "response": _frame(wave.response, "group"),
            "perceptions": plain(wave.perceptions),
            "relations": {k: _shared_relation(shown, r) for k, r in wave.relations.items()},
            "decisions": _shared_decisions(wave.decisions),
            "worklist": _shared_worklist(wave.worklist),
            "ratings": _ratings(wave.ratings, shared=True),
            **({"not_asked": {k: len(v) for k, v in wave.not_asked.items()}}
               if wave.not_asked else {}),
        },
        "indicators": _indicators(shown),
        "findings": [f.text for f in shown.indicators.findings],
        "quality": _shared_quality(shown, {s: n for s, n in silo_sizes(shown).items()
                                           if s not in left_out.silos}),
    }


def _shared_relation(results: Results, r: RelationResult) -> dict[str, Any]:
    """A relation's group-level figures (its silo tables without the small silos)."""
    silos = results.roster["silo"].astype(str)
    brokerage = r.brokerage.groupby(r.brokerage.index.map(silos)).sum(min_count=1)
    bridging: dict[str, int] = {}
    for member in r.bridging:
        bridging[silos[member]] = bridging.get(silos[member], 0) + 1
    ei = {k: v for k, v in plain(r.ei).items() if k != "by_member"}
    communities = {k: v for k, v in plain(r.communities).items() if k != "partition"}
    return {
        **_group_figures(r), "ei": ei,
        "brokerage_by_silo": _frame(brokerage, "silo"),
        "bridging_by_silo": dict(sorted(bridging.items())),
        "communities": communities,
    }


def _shared_decisions(d: Any) -> dict[str, Any] | None:
    """Decision influence by group (no member's scores, no formal roles)."""
    if d is None:
        return None
    return {
        "decisions": [{"key": k, "label": label} for k, label in d.decisions],
        "parity": _frame(d.parity, "group"), "gini": plain(d.gini),
        "participation": _frame(d.participation, "decision"),
        "voice": _frame(d.voice, "group"),
        "named_by_group": _frame(d.named_by_group, "decision"),
        "voice_scale": plain(d.voice_scale),
    }


def _shared_worklist(work: Worklist) -> dict[str, Any]:
    """How many members are on each list, and the silo pairs least in touch."""
    counts = {"isolates": len(work.isolates), "pendants": len(work.pendants),
              "outside_main": len(work.outside_main),
              "no_cross_silo": len(work.no_cross_silo), "periphery": len(work.periphery)}
    if work.not_asked:
        counts["not_asked"] = len(work.not_asked)
    return {"counts": counts, "silo_gaps": plain(work.silo_gaps)}


def _shared_quality(results: Results, silos: dict[str, int]) -> dict[str, Any]:
    """This wave's response and data quality, by group only."""
    q = results.quality
    wave = next((w for w in q.waves if w.wave == results.wave.wave), None)
    return {"members": q.members, "silos": silos, "errors": q.errors,
            "warnings": q.warnings, "counts": q.counts,
            "wave": _wave_quality(wave) if wave is not None else None}


def dumps(document: dict[str, Any]) -> str:
    """Deterministic JSON text: ``json.dumps(document, sort_keys=True, indent=1,
    ensure_ascii=False, allow_nan=False)`` plus a newline (written by
    :mod:`cpower_network.common.json_text`, the same bytes, faster)."""
    return json_text.dumps(document, end="\n")


def write_json(results: Results, path: str | Path, *, audience: str = "evaluator") -> Path:
    """Write ``results`` as JSON for ``audience`` to ``path`` (the retreat document holds
    only what the retreat report shows), atomically: a reader, or another process writing
    the same file, never sees half a document, and a failed write leaves an earlier file
    as it was (:func:`~cpower_network.common.files.write_atomically`)."""
    from ..common.files import write_atomically

    text = dumps(results_document(results, audience=audience))
    target = Path(path)
    write_atomically({target: text.encode("utf-8")})
    return target
