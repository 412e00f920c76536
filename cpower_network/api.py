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

from .analysis import analyze as _analyze
from .anonymize import anonymize_study
from .ingest import Study
from .results import Results
from .settings import AnalysisSettings


def analyze(study: Study, wave: str | None = None, *, seed: int | None = None,
            anonymize: bool = False, settings: AnalysisSettings | None = None,
            progress: Callable[[str], None] | None = None,
            engine: str = "igraph", allow_problems: bool = False) -> Results:
    """Measure one wave of ``study`` and score the Collective Power indicators.

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
    """
    study.require_clean(allow_problems=allow_problems)
    source = anonymize_study(study) if anonymize else study
    results = _analyze(source, wave, seed=seed, settings=settings, progress=progress,
                       engine=engine)
    results.anonymized = anonymize
    return results
