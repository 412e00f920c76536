"""``cpower init STUDY --roster … --from …``: read the exports, write ``cpower.toml``.

Everything is read and checked before anything is written: a missing or unreadable file
stops the command with one clear line and leaves the folder as it was. Files outside the
study folder are copied into it (never moved, never written over) so the paths in the
TOML are relative to the folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..config.schema import TABLE_KEY
from ..config.study import CONFIG_NAME
from ..errors import CpowerError, UsageError
from ..ingest.tables import RawTable, read_table
from .members import detect_members
from .model import Registry, StudyGuess
from .survey import PLATFORM_NAMES, detect_survey
from .toml_writer import render

GENERATED_NAME = "cpower.generated.toml"
DEFAULT_WAVE = "wave1"


@dataclass
class InitResult:
    """What ``init --from`` wrote and found.

    Attributes
    ----------
    target : Path
        The TOML written (``cpower.toml``, or ``cpower.generated.toml`` when the folder
        already had one).
    study : StudyGuess
        Everything that was found.
    copied : list of (source, copy)
        Files copied into the study folder.
    summary : list of str
        One line per roster, export and question block (for stdout).
    checks : list of str
        Every ``# CHECK:`` written (for stderr).
    """

    target: Path
    study: StudyGuess
    copied: list[tuple[Path, Path]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)


class Placement:
    """Where each given file lives inside the study folder (copies are planned, not
    made, until everything has been read)."""

    def __init__(self, folder: Path) -> None:
        self.root = folder.resolve()
        self.planned: dict[str, Path] = {}
        self.copies: list[tuple[Path, Path]] = []

    def place(self, source: Path, subfolder: str = "") -> str:
        """The path of ``source`` relative to the study folder, planning a copy when it
        lies outside (a differing file of the same name gets a numbered name)."""
        resolved = source.resolve()
        if resolved.is_relative_to(self.root):
            return resolved.relative_to(self.root).as_posix()
        folder = self.root / subfolder if subfolder else self.root
        stem, suffix = Path(source.name).stem, Path(source.name).suffix
        candidate, number = folder / source.name, 2
        while True:
            relative = candidate.relative_to(self.root).as_posix()
            planned = self.planned.get(relative)
            if planned == resolved or (planned is None and candidate.is_file()
                                       and _same_bytes(candidate, resolved)):
                return relative
            if planned is None and not candidate.exists():
                self.planned[relative] = resolved
                self.copies.append((resolved, candidate))
                return relative
            candidate, number = folder / f"{stem}-{number}{suffix}", number + 1

    def copy(self) -> None:
        for source, target in self.copies:
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as reader, target.open("xb") as writer:
                shutil.copyfileobj(reader, writer)


def _same_bytes(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def _readable(path: Path, what: str) -> Path:
    if not path.exists():
        raise UsageError(f"{what} {path}: no such file")
    if not path.is_file():
        raise UsageError(f"{what} {path}: not a file")
    return path


def _read(path: Path) -> RawTable:
    try:
        return read_table(path, file=str(path))
    except CpowerError as error:
        raise UsageError(f"cannot read {error.message}") from None


def init_from_exports(folder: Path, *, roster: Path, exports: list[Path],
                      wave: str | None = None, silo: str | None = None,
                      focus: tuple[str, ...] = (),
                      progress: Callable[[str], None] | None = None) -> InitResult:
    """Read a roster and survey exports and write a commented ``cpower.toml``.

    Parameters
    ----------
    folder : Path
        The study folder (created when missing).
    roster : Path
        The member roster (CSV or XLSX).
    exports : list of Path
        Survey exports of one wave (CSV or XLSX, any supported platform).
    wave : str, optional
        The wave's key (default ``wave1``); exports are copied into a folder of that name.
    silo : str, optional
        The roster column holding each member's silo.
    focus : tuple of str
        Focus groups: ``COLUMN`` (a yes/no roster column) or ``COLUMN=VALUE,VALUE``.
    progress : callable, optional
        Called with a short message before each file is read.

    Returns
    -------
    InitResult

    Raises
    ------
    UsageError
        A file is missing or unreadable, a named column is not in the roster, or both
        ``cpower.toml`` and ``cpower.generated.toml`` already exist.
    """
    say = progress or (lambda _message: None)
    wave = wave or DEFAULT_WAVE
    if not TABLE_KEY.match(wave):
        raise UsageError(f"--wave {wave!r}: use letters, digits, '_' or '-' (e.g. 2025)")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; give a folder for the study")
    sources = [_readable(roster, "--roster"), *(_readable(p, "--from") for p in exports)]
    if len({p.resolve() for p in sources}) < len(sources):
        raise UsageError("the same file is given twice; give each export once")
    target = _target(folder)
    placement = Placement(folder)
    say(f"reading the roster {roster}")
    members = detect_members(_read(roster), placement.place(roster), wave=wave, silo=silo,
                             focus=focus)
    registry = Registry()
    surveys = []
    for path in exports:
        say(f"reading {path}")
        surveys.append(detect_survey(_read(path), placement.place(path, wave),
                                     members.matcher, registry))
    study = StudyGuess(folder.resolve().name, wave, members, surveys, registry)
    text = render(study, folder=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    placement.copy()
    with target.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    result = InitResult(target, study, placement.copies, checks=study.checks())
    result.summary = summary_lines(result, folder)
    return result


def _target(folder: Path) -> Path:
    config = folder / CONFIG_NAME
    if not config.exists():
        return config
    generated = folder / GENERATED_NAME
    if generated.exists():
        raise UsageError(f"{folder} already has {CONFIG_NAME} and {GENERATED_NAME}; "
                         "neither is overwritten. Move one away, or start in a new folder")
    return generated


def summary_lines(result: InitResult, folder: Path) -> list[str]:
    """What was found, one line per roster, export and question block."""
    study = result.study
    roster = study.roster
    lines = [f"Roster {roster.file}: {roster.members} members; "
             + ", ".join(f"{k} {v!r}" for k, v in roster.keys.items())]
    for survey in study.surveys:
        lines.append(f"{survey.file}: {PLATFORM_NAMES.get(survey.platform, survey.platform)}"
                     f", {survey.header_rows} header row(s), {survey.responses} responses; "
                     f"respondent {survey.respondent!r} "
                     f"({survey.notes.get('respondent', 'seen: no match: CHECK')[6:]})")
        for block in survey.blocks:
            state = "" if block.active else " [commented out: CHECK]"
            lines.append(f"  {block.shape:<15}{block.name:<14} {block.seen}{state}")
        if survey.unread:
            lines.append(f"  not read: {', '.join(survey.unread)}")
        if survey.unmatched:
            shown = ", ".join(repr(u) for u in dict.fromkeys(survey.unmatched))
            lines.append(f"  not on the roster (left for validation): {shown}")
    name = result.target.name
    lines.append(f"Wrote {result.target}: {len(study.registry.relations)} relation(s), "
                 f"{sum(len(s.blocks) for s in study.surveys)} question(s), "
                 f"{len(result.checks)} line(s) marked # CHECK.")
    if name != CONFIG_NAME:
        lines.append(f"{folder / CONFIG_NAME} already existed and was left as it is; "
                     f"compare the two, or check the new one with: cpower validate "
                     f"{result.target}")
    elif result.checks:
        lines.append(f"Next: review the # CHECK lines, then run: cpower validate {folder}")
    else:
        lines.append(f"Next: cpower validate {folder}")
    return lines
