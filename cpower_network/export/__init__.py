"""Exports of one wave's results to network tools and spreadsheets.

One module per format, all reading the same tables (:mod:`.tables`), so a measure has
the same name and value everywhere:

========  ==============================  =====================================
format    what                            written
========  ==============================  =====================================
gexf      GEXF 1.3 for Gephi              ``<wave>.gexf``
graphml   GraphML (yEd, Cytoscape, …)     ``<wave>.graphml``
kumu      Kumu import workbook + JSON     ``<wave>.xlsx`` and ``<wave>.kumu.json``
csv       members, ties, indicators, …    folder ``<wave>/`` with five CSV files
json      the versioned results JSON      ``<wave>.json`` (:mod:`.results_json`)
========  ==============================  =====================================

Every export is deterministic (the same results give the same bytes) and written
atomically (a failure leaves nothing half-written). Exports of anonymised results
(``cp.analyze(..., anonymize=True)``) carry codes only.

>>> sorted(FORMATS)
['csv', 'gexf', 'graphml', 'json', 'kumu']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..common.files import outputs_folder, write_atomically
from ..errors import UsageError
from ._common import ExportError, has_invalid_xml, xml_id


@dataclass(frozen=True)
class Format:
    """An export format: its key, what it is, and the file (or folder) suffix."""

    key: str
    label: str
    suffix: str
    folder: bool = False


FORMATS: dict[str, Format] = {f.key: f for f in (
    Format("gexf", "GEXF 1.3 (Gephi)", ".gexf"),
    Format("graphml", "GraphML", ".graphml"),
    Format("kumu", "Kumu workbook and JSON blueprint", ".xlsx"),
    Format("csv", "CSV tables", "", folder=True),
    Format("json", "results JSON", ".json"),
)}


def _writer(key: str) -> Callable:
    if key == "gexf":
        from .gexf import write_gexf as writer
    elif key == "graphml":
        from .graphml import write_graphml as writer
    elif key == "kumu":
        from .kumu import write_kumu as writer
    elif key == "csv":
        from .tables import write_csv as writer
    else:
        writer = write_results_json
    return writer


def write_results_json(results, path: str | Path) -> list[Path]:
    """Write the versioned results JSON (:mod:`cpower_network.export.results_json`) atomically.

    The document is :func:`cpower_network.export.results_json.results_document`, exactly what
    ``results.to_json(path)`` writes.

    Examples
    --------
    >>> import tempfile
    >>> import cpower_network as cp
    >>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in write_results_json(results, Path(folder) / "2025.json")]
    ['2025.json']
    """
    from .results_json import dumps, results_document

    text = dumps(results_document(results))
    return write_atomically({Path(path): text.encode("utf-8")})


def check_format(format: str) -> Format:
    """The :class:`Format` called ``format``; a :class:`UsageError` naming the choices.

    >>> check_format("gexf").suffix
    '.gexf'
    """
    if format not in FORMATS:
        raise UsageError(f"unknown export format {format!r}; choose one of: "
                         + ", ".join(FORMATS))
    return FORMATS[format]


def export(results, format: str, path: str | Path) -> list[Path]:
    """Write ``results`` in ``format`` to ``path``; return the files written.

    Parameters
    ----------
    results : Results
        From :func:`cpower_network.analyze` (use ``anonymize=True`` there for exports
        without names).
    format : {"gexf", "graphml", "kumu", "csv", "json"}
    path : str or Path
        The file (for ``csv``: the folder). An existing folder given for a one-file
        format receives ``<wave><suffix>``. Existing files are overwritten, atomically.

    Returns
    -------
    list of Path

    Raises
    ------
    UsageError
        For an unknown format, or a path that cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> import cpower_network as cp
    >>> results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in export(results, "csv", Path(folder) / "csv")]
    ['members.csv', 'ties.csv', 'indicators.csv', 'introductions.csv', 'disagreements.csv']
    """
    chosen = check_format(format)
    target = Path(path)
    if not chosen.folder and target.is_dir():
        target = target / f"{results.wave.wave}{chosen.suffix}"
    return _writer(chosen.key)(results, target)


def default_path(study: str | Path, wave: str, format: str, *,
                 anonymized: bool = False) -> Path:
    """Where ``cpower export`` writes by default: ``STUDY/exports/<wave><suffix>``.

    Anonymised exports get ``-anonymised`` in the name (as reports do), so they never
    overwrite the named export.

    >>> default_path("my-study", "2025", "gexf").as_posix()
    'my-study/exports/2025.gexf'
    >>> default_path("my-study/cpower.toml", "2025", "csv", anonymized=True).as_posix()
    'my-study/exports/2025-anonymised'
    """
    folder = Path(study)
    if folder.suffix.lower() == ".toml" or folder.is_file():
        folder = folder.parent
    folder = outputs_folder(folder)       # never inside the installed package
    name = f"{wave}-anonymised" if anonymized else str(wave)
    return folder / "exports" / f"{name}{check_format(format).suffix}"


def export_notes(results, format: str) -> list[str]:
    """What an export changed in the survey text, in plain sentences (may be empty).

    >>> import cpower_network as cp
    >>> export_notes(cp.analyze(cp.load_study(cp.example_study_path()), seed=1), "kumu")
    []
    """
    from .tables import member_table

    chosen = check_format(format)
    notes = []
    table = member_table(results)
    texts = [v for c in table.columns for v in table[c] if isinstance(v, str)]
    ids = [str(m) for m in table.index]
    if chosen.key in ("gexf", "graphml", "kumu"):
        bad = sum(has_invalid_xml(t) for t in texts)
        if bad:
            notes.append(f"{_texts(bad)} (names, organisations, …) held control characters "
                         "that XML cannot store; each was replaced by \ufffd")
        odd = [m for m in ids if has_invalid_xml(m)]
        if odd:
            noun = "member id holds" if len(odd) == 1 else "member ids hold"
            notes.append(f"{len(odd)} {noun} control characters that XML cannot store; "
                         "each was written as _xHHHH_ (its code point), so ids stay "
                         f"distinct: {xml_id(odd[0])}" + (" …" if len(odd) > 1 else ""))
    texts += ids
    if chosen.key == "kumu":
        from .kumu import duplicate_names

        shared = duplicate_names(results)
        if shared:
            notes.append(f"{len(shared)} members share a name with another member; their "
                         "Kumu labels carry their id so Kumu keeps them apart: "
                         + ", ".join(shared[:5]) + (" …" if len(shared) > 5 else ""))
        piped = sum("|" in t for t in texts)
        if piped:
            notes.append(f"{_texts(piped)} contained '|', which Kumu reads as a "
                         "separator; it was replaced by '/'")
    from ..common.terminal import safe

    return [safe(note) for note in notes]         # ids and names may hold escape codes


def _texts(count: int) -> str:
    return f"{count} text" if count == 1 else f"{count} texts"


__all__ = ["FORMATS", "ExportError", "Format", "check_format", "default_path", "export",
           "export_notes"]
