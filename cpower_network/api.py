"""The Python API: the same pipeline the command line runs, for notebooks and scripts.

>>> import cpower_network as cp
>>> study = cp.load_study(cp.example_study_path())
>>> results = cp.analyze(study, wave="2025", seed=7)
>>> results.indicators["lived_experience"].band in ("Emerging", "Developing", "Strong")
True
>>> results.wave.relations["collaborate"].centralities.columns[:3].tolist()
['in_degree', 'out_degree', 'in_strength']
"""

from __future__ import annotations

from collections.abc import Callable

from .analysis.pipeline import analyze as _analyze
from .config.settings import AnalysisSettings
from .ingest import Study
from .ingest.anonymize import anonymize_study
from .results.model import Results


def analyze(study: Study, wave: str | None = None, *, seed: int | None = None,
            anonymize: bool = False, settings: AnalysisSettings | None = None,
            progress: Callable[[str], None] | None = None,
            engine: str = "igraph", allow_problems: bool = False) -> Results:
    """Measure one wave of ``study`` and score the Collective Power indicators.

    Load a study folder with :func:`cpower_network.load_study` (the folder holding
    ``cpower.toml``; :func:`cpower_network.example_study_path` is a bundled example), then
    analyse it. Everything is in the returned :class:`~cpower_network.results.model.Results`:

    * ``results.indicators["cohesion"]``: each Collective Power indicator's ``score``
      (0–100), ``band`` and ``reading``; ``results.indicators.findings`` the top findings.
    * ``results.wave.relations["collaborate"]``: one relation's graph (``graph``,
      networkx), member ``centralities`` and ``brokerage`` (DataFrames indexed by member
      id), focus groups' ``parity`` and ``differences``, silo ``mixing`` and ``density``,
      ``ei``, ``communities``… (``help(results.wave.relations["collaborate"])`` lists
      every table and its columns).
    * ``results.wave.decisions``: who shapes decisions; ``results.wave.response``:
      response rates; ``results.wave.worklist``: the weaver's worklist.
    * ``results.to_html(path)``, ``results.to_json(path)``, ``results.export(format,
      path)``: the report, the JSON and exports for Gephi, Kumu or spreadsheets.

    An unknown name (``results.indicators["cohesoin"]``) raises a ``KeyError`` naming the
    valid ones. To compare waves, see :func:`cpower_network.compare`.

    Parameters
    ----------
    study : Study
        From :func:`cpower_network.load_study`.
    wave : str, optional
        Wave key (default: the latest wave).
    seed : int, optional
        Seed for permutation tests, communities and map layouts (default: the study's).
    anonymize : bool
        Replace names, organisations and free text with stable codes *before* measuring,
        so nothing downstream (report, JSON, exports) can contain a real name.
    settings : AnalysisSettings, optional
        Override the study's ``[analysis]`` settings.
    progress : callable, optional
        Receives a short message at each stage.
    engine : {"igraph", "networkx"}
        Where heavy centralities are computed (networkx is the reference).
    allow_problems : bool
        Measure a study whose data has errors (the answers with problems are set aside,
        as the command line's ``--allow-problems`` does). Without it such a study raises.

    Returns
    -------
    Results
        Tables are pandas DataFrames, graphs networkx graphs; ``results.to_html(path)``
        writes the report and ``results.to_json(path)`` the JSON. ``results.quality``
        says how many answers were set aside and why.

    Raises
    ------
    DataError
        The study's data has errors (see ``study.quality.errors``) and
        ``allow_problems`` is false: the message names how many.
    UsageError
        ``wave`` is not a wave of the study, or ``seed`` is not a whole number.

    Examples
    --------
    >>> import cpower_network as cp
    >>> study = cp.load_study(cp.example_study_path())
    >>> results = cp.analyze(study, seed=1)
    >>> results  # doctest: +NORMALIZE_WHITESPACE
    <Results: Riverbend Child Care Coalition, wave '2025', 71 members, 6 relations
     (collaborate, trust, advice, influence, value, decisions), 5 indicators>
    >>> cohesion = results.indicators["cohesion"]
    >>> cohesion.band, round(cohesion.score)
    ('Strong', 84)
    >>> collaborate = results.wave.relations["collaborate"]
    >>> collaborate.centralities.columns.tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['in_degree', 'out_degree', 'in_strength', 'out_strength', 'betweenness',
     'pagerank', 'harmonic', 'core']
    >>> collaborate.parity.query("measure == 'in_degree'")[["group", "parity"]].round(2)
                  group  parity
    0  lived_experience    0.90
    5        grassroots    0.97
    >>> results.to_html("report.html")  # doctest: +SKIP
    >>> results.to_json("results.json")  # doctest: +SKIP
    """
    study.require_clean(allow_problems=allow_problems)
    source = anonymize_study(study) if anonymize else study
    results = _analyze(source, wave, seed=seed, settings=settings, progress=progress,
                       engine=engine)
    results.anonymized = anonymize
    return results
