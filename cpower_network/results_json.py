"""Results as versioned JSON (``cpower analyze --json``, ``cpower export --format json``).

The document is plain JSON with sorted keys, no NaN (missing values are ``null``) and no
timestamps, so the same results give the same bytes.

``wave.not_asked`` (per relation, the members nobody was asked about: their ties are
unknown, not absent) and ``wave.worklist.not_asked`` (why each is left out of the
worklist) are written only when someone was not asked about; their absence means every
member was asked about in every relation. ``format_version`` changes when a
field changes meaning or disappears; new fields may be added within a version.

Layout (``format_version`` 1)::

    {
      "format_version": 1, "cpower_version": "…", "seed": 1,
      "study": {"name", "waves", "relations", "focus_groups", "silo_label"},
      "settings": {…analysis settings…},
      "wave": {
        "key", "label", "members": [ids], "newcomers": [ids], "previous_wave",
        "groups": {key: {"label", "members": [ids]}},
        "response": [{group, members, respondents, rate}],
        "perceptions": [{item, group, mean, answers, others, gap, …}],
        "relations": {key: {
            "label", "nonrespondents", "respondents", "structure": {…},
            "direction", "reciprocity", "role", "role_inferred", "not_measured",
            "ties": [[from, to, weight]], "centralities": [{member, …}],
            "parity": [...], "differences": [...], "concentration": {…},
            "ei": {value, expected, p_value, permutations, internal, external,
                   by_group, by_member},
            "mixing": {"silos": [...], "counts": [[…]], "density": [[…]]},
            "assortativity", "brokerage": [{member, …}], "bridging": {member: [silos]},
            "communities": {partition, modularity, count, attribute_modularity, nmi,
                            engine},
            "strength": {…}}},
        "decisions": {decisions, scores, parity, gini, participation, voice, formal,
                      named_by_group} | null,
        "worklist": {isolates, pendants, outside_main, no_cross_silo, gatekeepers,
                     articulation_points, periphery, introductions, silo_gaps,
                     not_asked: {member: reason}},
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
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .results import RelationResult, Results
from .weave import Worklist

FORMAT_VERSION = 1


def plain(value: Any) -> Any:
    """Convert results values to JSON-ready Python (NaN → None, numpy → Python).

    >>> plain({"a": float("nan"), "b": np.int64(3), "c": (1.5, None)})
    {'a': None, 'b': 3, 'c': [1.5, None]}
    """
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [plain(v) for v in items]
    if isinstance(value, pd.DataFrame):
        return [plain(r) for r in value.reset_index().to_dict("records")] \
            if value.index.name or not isinstance(value.index, pd.RangeIndex) \
            else [plain(r) for r in value.to_dict("records")]
    if isinstance(value, pd.Series):
        return {str(k): plain(v) for k, v in value.items()}
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


def _frame(frame: pd.DataFrame, index: str) -> list[dict[str, Any]]:
    table = frame.copy()
    table.index.name = index
    return plain(table.reset_index())


def relation_document(r: RelationResult) -> dict[str, Any]:
    silos = [str(s) for s in r.mixing.index]
    return {
        "label": r.label, "symmetric": r.symmetric, "nonrespondents": r.nonrespondents,
        "respondents": r.respondents, "structure": plain(r.structure),
        **_reading(r.graph.graph),
        "ties": [[u, v, plain(w)] for u, v, w in r.graph.edges(data="weight")],
        "centralities": _frame(r.centralities, "member"),
        "parity": plain(r.parity), "differences": plain(r.differences),
        "concentration": plain(r.concentration), "ei": plain(r.ei),
        "mixing": {"silos": silos, "counts": plain(r.mixing.to_numpy().tolist()),
                   "density": plain(r.density.to_numpy().tolist())},
        "assortativity": plain(r.assortativity),
        "brokerage": _frame(r.brokerage, "member"),
        "bridging": plain(r.bridging), "communities": plain(r.communities),
        "strength": plain(r.strength),
    }


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


def results_document(results: Results) -> dict[str, Any]:
    """The JSON document of ``results`` (see the module docstring for its layout)."""
    wave = results.wave
    decisions = None
    if wave.decisions is not None:
        d = wave.decisions
        decisions = {
            "decisions": [{"key": k, "label": label} for k, label in d.decisions],
            "scores": _frame(d.scores, "member"), "parity": _frame(d.parity, "group"),
            "gini": plain(d.gini), "participation": _frame(d.participation, "decision"),
            "voice": _frame(d.voice, "group"), "formal": _frame(d.formal, "member"),
            "named_by_group": _frame(d.named_by_group, "decision"),
            "voice_scale": plain(d.voice_scale),
        }
    return {
        "format_version": FORMAT_VERSION,
        "cpower_version": results.version,
        "seed": results.seed,
        "anonymized": results.anonymized,
        "study": plain(dataclasses.asdict(results.study)),
        "settings": plain(results.settings),
        "wave": {
            "key": wave.wave, "label": wave.label, "members": list(wave.members),
            "newcomers": list(wave.newcomers), "previous_wave": wave.previous_wave,
            "newcomer_degree": plain(wave.newcomer_degree),
            "groups": {g.key: {"label": g.label, "members": list(g.members)}
                       for g in wave.groups},
            "response": _frame(wave.response, "group"),
            "perceptions": plain(wave.perceptions),
            "relations": {k: relation_document(r) for k, r in wave.relations.items()},
            "decisions": decisions,
            "worklist": _worklist(wave.worklist),
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
    }
    if work.not_asked:
        found["not_asked"] = dict(work.not_asked)
    return found


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
        "waves": [{"wave": w.wave, "members": w.members, "respondents": w.respondents,
                   "rates": _frame(w.rates, "group"), "ties": w.ties,
                   "nonzero_ties": w.nonzero_ties, "set_aside": w.set_aside}
                  for w in q.waves],
    }


def dumps(document: dict[str, Any]) -> str:
    """Deterministic JSON text."""
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False,
                      allow_nan=False) + "\n"


def write_json(results: Results, path: str | Path) -> Path:
    """Write ``results`` as JSON to ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps(results_document(results)), encoding="utf-8", newline="\n")
    return target
