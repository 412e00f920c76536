"""Writing output files: atomically, never over a study's inputs, with one-line errors.

:func:`write_atomically` is the one way cpower writes any output file (reports, JSON,
exports, CSV files): a reader never sees half a file and a failure leaves every target
as it was. :func:`check_target` refuses paths no output may be written to, among them
the input files that :func:`protect_inputs` registered.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from ..errors import EXIT_DATA, ExportError, OutputError


class UnwritablePathError(ExportError):
    """No file can be written at the path asked for: it is a folder, or a folder on its
    path is a file (exit code 1, like the system refusing to write)."""

    exit_code = EXIT_DATA


#: Every file :func:`write_atomically` has put in place in this process, in order: the
#: command line names them when a command is interrupted.
WRITTEN: list[Path] = []

#: What to do about a file that could not be written, by ``errno``.
WRITE_FIXES = {
    errno.ENOSPC: "free some disk space, or write somewhere else",
    getattr(errno, "EDQUOT", errno.ENOSPC): "free some disk space, or write somewhere else",
    errno.EACCES: "write to a folder you may write in, or change the permissions",
    errno.EPERM: "write to a folder you may write in, or change the permissions",
    errno.EROFS: "write somewhere else: this disk is read-only",
    errno.ENOTDIR: "a part of the path is a file, not a folder: choose another path",
    errno.EISDIR: "give a file name, not a folder",
    errno.ENAMETOOLONG: "choose a shorter file name",
}


def write_failure(error: OSError, target: Path) -> OutputError:
    """The one-line :class:`~cpower_network.errors.OutputError` for ``error`` met while
    writing ``target``: the path, the reason and a fix.

    >>> import errno
    >>> write_failure(OSError(errno.ENOSPC, "No space left on device"), Path("r.html")).message
    'could not write r.html: No space left on device. Fix: free some disk space, or write \
somewhere else (no partial file was left behind)'
    """
    reason = error.strerror or str(error) or type(error).__name__
    fix = WRITE_FIXES.get(error.errno, "check the path, or write somewhere else")
    return OutputError(f"could not write {target}: {reason}. Fix: {fix} (no partial file "
                       "was left behind)")


def write_atomically(files: Mapping[Path, bytes]) -> list[Path]:
    """Write every file atomically: each goes to a temporary file beside its target
    first (flushed to disk), and the temporary files are renamed into place
    (:func:`os.replace`) only once all are written.

    The one implementation of writing an output file: reports, JSON, exports and CSV
    files all come here, so a reader never sees half a file, concurrent writers leave
    one whole file, and a failure (a full disk, no permission, Ctrl-C) removes the
    temporary files and leaves every target as it was. (Only the renaming itself,
    which takes no new space, could be cut between two files: the files renamed
    already are then whole and new, the others whole and old.)

    Parameters
    ----------
    files : mapping of Path to bytes
        Each target and its content.

    Returns
    -------
    list of Path
        The targets, in order.

    Raises
    ------
    UnwritablePathError
        A target no file can be written to (:func:`check_target`; exit code 1).
    OutputError
        The operating system refused a write (exit code 1); the message names the
        target, the reason and a fix.
    """
    targets = [Path(t) for t in files]
    staged: list[tuple[Path, Path]] = []
    target = targets[0] if targets else Path()
    try:
        for target in targets:
            check_target(target)
        # a symlink is written through: the file it leads to is replaced, not the link
        targets = [t.resolve() if t.is_symlink() else t for t in targets]
        for target, data in zip(targets, files.values(), strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name[:200]}.{secrets.token_hex(4)}.tmp")
            staged.append((temporary, target))
            with open(temporary, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for temporary, target in staged:
            os.replace(temporary, target)
            WRITTEN.append(target)
    except OSError as error:
        _discard(staged)
        raise write_failure(error, target) from error
    except BaseException:
        _discard(staged)
        raise
    return targets


#: Files no output may replace (resolved paths): the inputs of the studies loaded in this
#: process (``cpower.toml``, roster, aliases, survey exports), registered by
#: :func:`protect_inputs`.
PROTECTED: dict[Path, str] = {}


def protect_inputs(config: object) -> None:
    """Register a study's input files (its ``StudyConfig``), so that no report, JSON or
    export replaces one (``--out my-study/roster.csv`` would have destroyed the roster)."""
    named = {config.source: "its cpower.toml", config.roster.path: "its roster"}
    if config.roster.aliases_path is not None:
        named[config.roster.aliases_path] = "its aliases file"
    for key, wave in config.waves.items():
        for survey in wave.surveys:
            named[survey.path] = f"a survey export of wave {key}"
    for path, what in named.items():
        try:
            PROTECTED[Path(path).resolve()] = what
        except (OSError, RuntimeError, ValueError):
            continue


def check_target(target: Path) -> None:
    """Refuse (:class:`UnwritablePathError`, exit 1) a path no output may be written to:
    a folder, a path under a file, an existing special file (a device, a FIFO: writing
    a new file in its place would replace it), or one of the study's input files."""
    if target.is_dir():
        raise UnwritablePathError(f"{target} is a folder; give a file name")
    if target.exists() and not target.is_file():
        raise UnwritablePathError(f"cannot write {target}: it exists and is not a regular "
                                  "file (a device, a pipe or a socket); choose a file name")
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError, ValueError):
        resolved = target
    if resolved in PROTECTED:
        raise UnwritablePathError(f"cannot write {target}: it is {PROTECTED[resolved]} of the "
                                  "study being analysed, which an output must never replace; "
                                  "choose another file name")
    _check_parents(target)


def _check_parents(target: Path) -> None:
    """An :class:`UnwritablePathError` when a folder on ``target``'s path is a file."""
    blocking = next((p for p in reversed(target.parents) if p.is_file()), None)
    if blocking is not None:
        raise UnwritablePathError(f"cannot write {target}: {blocking} is a file, not a "
                          "folder; choose another path")


def _discard(staged: list[tuple[Path, Path]]) -> None:
    for temporary, _ in staged:
        with contextlib.suppress(OSError):    # the folder went away: nothing is left
            temporary.unlink(missing_ok=True)


#: The installed package's folder: no output is ever written inside it.
PACKAGE_FOLDER = Path(__file__).resolve().parents[1]
#: Where default outputs of a study shipped inside the package (the bundled example) go,
#: in the working directory, since the package folder may be read-only or shared.
EXAMPLE_OUTPUTS = "cpower-example"


def outputs_folder(study_folder: Path) -> Path:
    """The folder a study's default outputs (``reports/``, ``exports/``) go in: the study
    folder itself, except for a study inside the installed package (the bundled example),
    whose outputs go to ``./cpower-example/`` in the working directory instead of into
    the package (where an upgrade would delete them and a wheel would ship them).

    >>> outputs_folder(Path("my-study")).as_posix()
    'my-study'
    >>> outputs_folder(PACKAGE_FOLDER / "data" / "example") == Path.cwd() / EXAMPLE_OUTPUTS
    True
    """
    try:
        inside = Path(study_folder).resolve().is_relative_to(PACKAGE_FOLDER)
    except (OSError, RuntimeError, ValueError):
        inside = False
    return Path.cwd() / EXAMPLE_OUTPUTS if inside else Path(study_folder)
