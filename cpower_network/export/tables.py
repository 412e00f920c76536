"""The export tables (one definition each) and the CSV export built from them.

Every export reads the same three tables, so a measure has the same name and value in
Gephi, Kumu, a GraphML tool and a spreadsheet:

* :func:`member_table`: one row per member of the wave (roster order), indexed by ``id``:
  ``name``, the roster attributes (``silo``, ``organisation``, ``role``, ``leader``,
  ``consent``, one boolean per focus group: empty where the roster cell was blank, "not
  known"), every other roster column as written (text; a name an export column already
  has gets ``roster_``; none in anonymised results), then for each relation
  ``<relation>_<measure>``
  for every centrality (``collaborate_in_degree``, ``collaborate_pagerank``, …),
  ``<relation>_brokerage_<role>`` for every Gould–Fernandez role and the total, and
  ``<relation>_community``; then decision influence (``decision_named``,
  ``decision_share``, ``decision_pagerank``, ``decision_rank``,
  ``decision_informal_leader``). Counts are integers (nullable), booleans booleans.
* :func:`tie_table`: ``from``, ``to``, ``relation``, ``weight``: every arc of every
  relation graph, relations in study order, arcs in roster order.
* :func:`indicator_table`: ``milestone``, ``item``, ``component``, ``raw``, ``score``,
  ``band``, ``how``: one row per evidence component.

When the wave asked trust or value facets, the member table also has ``trust_received``,
``trust_raters``, ``value_received`` and ``value_raters`` (mean pair score received, a
share of the scale's maximum, and how many rated the member).

The CSV export (:func:`write_csv`) writes them as ``members.csv``, ``ties.csv`` and
``indicators.csv``, with the weaver's ``introductions.csv`` (as ``cpower weave --csv``)
and ``disagreements.csv`` (pairs whose ratings of each other differ by half the scale or
more: :data:`DISAGREEMENT_COLUMNS`), UTF-8, ``\\n`` line
ends, empty cells for missing values, in one folder.
CSV keeps survey text exactly as it is (no control-character replacement: CSV can hold
any character), except that text a spreadsheet would run as a formula (``=…``, ``+…``,
``-…``, ``@…``, in any column, ids included) gets a leading apostrophe
(:func:`spreadsheet_safe`).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from ..common.files import write_atomically
from ..ingest.roster import focus_flags
from ..results.model import Results
from ._common import ExportError

ROSTER_COLUMNS = ("name", "silo", "organisation", "role", "leader", "consent")
#: Centralities that are counts (stored as floats where non-respondents are missing).
COUNT_MEASURES = ("in_degree", "out_degree", "core")
DECISION_PREFIX = "decision_"
TIE_COLUMNS = ["from", "to", "relation", "weight"]
INDICATOR_COLUMNS = ["milestone", "item", "component", "raw", "score", "band", "how"]
CSV_FILES = ("members.csv", "ties.csv", "indicators.csv", "introductions.csv",
             "disagreements.csv")
DISAGREEMENT_COLUMNS = ["measure", "label", "member_id", "member", "partner_id", "partner",
                        "rating", "rating_back", "difference", "unit", "lowest", "highest"]


def member_table(results: Results) -> pd.DataFrame:
    """One row per member: roster attributes, every measure of every relation, decisions.

    Parameters
    ----------
    results : Results

    Returns
    -------
    DataFrame
        Indexed by member ``id`` in roster order; columns as in the module docstring.

    Examples
    --------
    >>> import cpower_network as cp
    >>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    >>> table = member_table(results)
    >>> len(table) == len(results.wave.members)
    True
    >>> table.at["m002", "name"], int(table.at["m002", "collaborate_in_degree"])
    ('Elizabeth Carter', 27)
    """
    wave = results.wave
    members = list(wave.members)
    columns = _roster_columns(results, members)
    measures = _measure_columns(results, members)
    for name, series in _extra_columns(results, members, [*columns, *measures]).items():
        columns[name] = series
    columns.update(measures)
    return pd.DataFrame({name: series.array for name, series in columns.items()},
                        index=pd.Index(members, name="id"))


def _roster_columns(results: Results, members: list[str]) -> dict[str, pd.Series]:
    """The standard roster attributes, then each focus group (``<NA>``: not known)."""
    roster = results.roster.reindex(members)
    columns = {column: roster[column] for column in ROSTER_COLUMNS if column in roster}
    for key, _ in results.study.focus_groups:
        if key in roster:
            columns[key] = focus_flags(results.roster, key).reindex(members)
    return columns


def _extra_columns(results: Results, members: list[str],
                   taken: list[str]) -> dict[str, pd.Series]:
    """Every other roster column, as written (none in anonymised results: only the
    columns :mod:`~cpower_network.ingest.anonymize` keeps are exported)."""
    if results.anonymized:
        return {}
    focus = {key for key, _ in results.study.focus_groups}
    used = {"id", *taken}
    extras: dict[str, pd.Series] = {}
    for column in results.roster.columns:
        if column in ROSTER_COLUMNS or column in focus:
            continue
        name = str(column)
        while name in used:
            name = f"roster_{name}"
        used.add(name)
        extras[name] = results.roster[column].reindex(members).astype(object)
    return extras


def _measure_columns(results: Results, members: list[str]) -> dict[str, pd.Series]:
    """Every measure of every relation, then decision influence."""
    wave = results.wave
    columns: dict[str, pd.Series] = {}
    for key, relation in wave.relations.items():
        for measure in relation.centralities.columns:
            values = relation.centralities[measure].reindex(members)
            columns[f"{key}_{measure}"] = _counts(values) if measure in COUNT_MEASURES \
                else values
        for role in relation.brokerage.columns:
            columns[f"{key}_brokerage_{role}"] = _counts(relation.brokerage[role]
                                                         .reindex(members))
        partition = pd.Series(relation.communities.partition, dtype="Int64")
        columns[f"{key}_community"] = partition.reindex(members)
    if wave.decisions is not None:
        scores = wave.decisions.scores
        for column in scores.columns:
            values = scores[column].reindex(members)
            columns[DECISION_PREFIX + column] = _counts(values) if column == "rank" \
                else values
        formal = wave.decisions.formal
        if "informal_leader" in formal.columns:
            columns[DECISION_PREFIX + "informal_leader"] = formal["informal_leader"] \
                .reindex(members)
    if wave.ratings is not None and wave.ratings.asked:
        scores = wave.ratings.scores.members
        for score in wave.ratings.scores.measured:
            columns[f"{score}_received"] = scores[score].reindex(members)
            columns[f"{score}_raters"] = _counts(scores[f"{score}_raters"].reindex(members))
    return columns


def introduction_table(results: Results) -> pd.DataFrame:
    """The weaver's suggested introductions with names and silos (``cpower weave --csv``'s
    columns: ``kind, member_id, member, member_silo, member_answered, suggested_id, …,
    introducer_id, introducer, shared_contacts, score, reason``)."""
    from ..weave.study import introduction_frame

    roster = results.roster
    return introduction_frame(results.wave.worklist.introductions,
                              roster["name"].astype(str).to_dict(),
                              roster["silo"].astype(str).to_dict())


def disagreement_table(results: Results) -> pd.DataFrame:
    """Pairs whose ratings of each other differ by half the scale or more (dyadic
    agreement): :data:`DISAGREEMENT_COLUMNS`. ``unit`` is "share of the maximum" for trust
    and value scores (0–1) or the relation's scale name (its points, from ``lowest`` to
    ``highest``)."""
    ratings = results.wave.ratings
    if ratings is None or ratings.disagreements.empty:
        return pd.DataFrame(columns=DISAGREEMENT_COLUMNS)
    pairs = ratings.disagreements
    summary = ratings.agreement.set_index("measure")
    names = results.roster["name"].astype(str)
    unit = pairs["measure"].map(ratings.units).replace("share", "share of the maximum")
    return pd.DataFrame({
        "measure": pairs["measure"], "label": pairs["measure"].map(summary["label"]),
        "member_id": pairs["member"], "member": pairs["member"].map(names),
        "partner_id": pairs["partner"], "partner": pairs["partner"].map(names),
        "rating": pairs["rating"], "rating_back": pairs["rating_back"],
        "difference": pairs["difference"], "unit": unit,
        "lowest": pairs["measure"].map(summary["low"]),
        "highest": pairs["measure"].map(summary["low"] + summary["range"]),
    }, columns=DISAGREEMENT_COLUMNS).reset_index(drop=True)


def _counts(values: pd.Series) -> pd.Series:
    """Whole-number floats as nullable integers (others unchanged)."""
    if pd.api.types.is_integer_dtype(values):
        return values
    known = values.dropna()
    if pd.api.types.is_float_dtype(values) and (known == known.round()).all():
        return values.astype("Int64")
    return values


def tie_table(results: Results) -> pd.DataFrame:
    """Every arc of every relation: ``from``, ``to``, ``relation`` (key), ``weight``.

    Parameters
    ----------
    results : Results

    Returns
    -------
    DataFrame
        Relations in study order, arcs in roster order of their ends.

    Examples
    --------
    >>> import cpower_network as cp
    >>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    >>> ties = tie_table(results)
    >>> ties.columns.tolist()
    ['from', 'to', 'relation', 'weight']
    >>> int((ties["relation"] == "advice").sum()) == results.wave.relations[
    ...     "advice"].graph.number_of_edges()
    True
    """
    order = {member: i for i, member in enumerate(results.wave.members)}
    rows = []
    for key, relation in results.wave.relations.items():
        arcs = sorted(relation.graph.edges(data="weight", default=1.0),
                      key=lambda arc: (order.get(arc[0], len(order)), str(arc[0]),
                                       order.get(arc[1], len(order)), str(arc[1])))
        rows.extend((u, v, key, float(w)) for u, v, w in arcs)
    return pd.DataFrame(rows, columns=TIE_COLUMNS)


def indicator_table(results: Results) -> pd.DataFrame:
    """One row per evidence component of every indicator (milestone and item keys).

    ``score`` is the component's 0–100 score, ``band`` the milestone's band. An item
    without components gets one row with its own score and an empty ``component``.

    Parameters
    ----------
    results : Results

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> import cpower_network as cp
    >>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    >>> indicator_table(results).columns.tolist()
    ['milestone', 'item', 'component', 'raw', 'score', 'band', 'how']
    """
    rows = []
    indicators = results.indicators
    for milestone in (indicators.milestones if indicators is not None else []):
        for item in milestone.items:
            for component in item.components or [None]:
                if component is None:
                    rows.append((milestone.key, item.key, None, None, _number(item.score),
                                 milestone.band, None))
                    continue
                rows.append((milestone.key, item.key, component.label,
                             _number(component.raw), _number(component.score),
                             milestone.band, component.how))
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


def _number(value) -> float | None:
    return None if value is None else float(value)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP's
    advice for CSV injection): text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return, also after leading spaces or line breaks. Text that is a plain
    number (``-1.5``) and values that are not text (numbers, booleans, missing values)
    are unchanged.

    >>> spreadsheet_safe("=1+1"), spreadsheet_safe("  @SUM(A1)"), spreadsheet_safe("-1.5")
    ("'=1+1", "'  @SUM(A1)", '-1.5')
    >>> spreadsheet_safe("Ana"), spreadsheet_safe(-0.5), spreadsheet_safe("\\tx")
    ('Ana', -0.5, "'\\tx")
    """
    if not isinstance(value, str):
        return value
    if not (value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS)):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def _is_text(values: pd.Series | pd.Index) -> bool:
    """Whether a column (or index) may hold text: object, string or category."""
    return (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)
            or isinstance(values.dtype, pd.CategoricalDtype))


def csv_bytes(frame: pd.DataFrame, *, index: bool = False) -> bytes:
    """``frame`` as UTF-8 CSV bytes with ``\\n`` line ends (missing values empty): the
    one way cpower writes CSV. Text that a spreadsheet would run as a formula is
    neutralised (:func:`spreadsheet_safe`) in every cell, header and index (ids
    included); numbers stay numbers.

    >>> csv_bytes(pd.DataFrame({"a": [1, None], "b": ["x", "=1+1"]}))
    b"a,b\\n1.0,x\\n,'=1+1\\n"
    >>> csv_bytes(pd.DataFrame({"n": [-0.5]}, index=pd.Index(["+id"], name="id")), index=True)
    b"id,n\\n'+id,-0.5\\n"
    """
    if index:             # index levels become columns, so they are neutralised too
        names = ["" if n is None else n for n in frame.index.names]
        frame = frame.rename_axis(names).reset_index(allow_duplicates=True)
    else:
        frame = frame.copy()
    for number in range(frame.shape[1]):
        values = frame.iloc[:, number]
        if _is_text(values):
            frame.isetitem(number, values.astype(object).map(spreadsheet_safe))
    frame.columns = [spreadsheet_safe(str(c)) for c in frame.columns]   # roster headers
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def write_csv(results: Results, folder: str | Path) -> list[Path]:
    """Write the CSV files of :data:`CSV_FILES` into ``folder``.

    The files are written together (atomically: all or none); other files in the
    folder are left alone.

    Parameters
    ----------
    results : Results
    folder : str or Path
        Created if needed.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> import cpower_network as cp
    >>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in write_csv(results, folder)]
    ['members.csv', 'ties.csv', 'indicators.csv', 'introductions.csv', 'disagreements.csv']
    """
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file; the CSV export writes a folder of CSV files")
    members = member_table(results)
    contents = [csv_bytes(members, index=True), csv_bytes(tie_table(results)),
                csv_bytes(indicator_table(results)), csv_bytes(introduction_table(results)),
                csv_bytes(disagreement_table(results))]
    return write_atomically({target / name: data for name, data in zip(CSV_FILES, contents,
                                                                        strict=True)})
