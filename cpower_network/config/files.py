"""What a study folder may reach: the files ``cpower.toml`` names must lie inside the
study folder once symlinks are followed, unless the user allows files outside it.

A ``cpower.toml`` may come from someone else, and lines of the files it names can end
up in a report or an error message shared with others; so a study reads only its own
folder unless ``--allow-outside-files`` is given on the command line (or
``allow_outside_files=True`` in Python).
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from .schema import closest

__all__ = ["OUTSIDE_FILES", "OUTSIDE_OPTION", "StudyFiles", "outside_files_allowed"]

#: Whether a study may read files outside its folder (``--allow-outside-files``): off
#: unless a caller turns it on for a while with :func:`outside_files_allowed`.
OUTSIDE_FILES: ContextVar[bool] = ContextVar("cpower_outside_files", default=False)
OUTSIDE_OPTION = "--allow-outside-files"


@contextmanager
def outside_files_allowed(allowed: bool = True) -> Iterator[None]:
    """Let every study read within the ``with`` block reach files outside its folder.

    The command line's ``--allow-outside-files`` turns this on for one command; from
    Python, pass ``allow_outside_files=True`` to
    :func:`~cpower_network.config.study.read_config` or
    :func:`~cpower_network.ingest.load_study` instead.

    >>> with outside_files_allowed():
    ...     OUTSIDE_FILES.get()
    True
    >>> OUTSIDE_FILES.get()
    False
    """
    token = OUTSIDE_FILES.set(allowed)
    try:
        yield
    finally:
        OUTSIDE_FILES.reset(token)


class StudyFiles:
    """The files a study names, each checked to exist and to lie inside the study
    folder (after following symlinks), unless files outside are allowed.

    Parameters
    ----------
    root : Path
        The study folder (where ``cpower.toml`` is).
    outside_allowed : bool
        Accept files outside the folder (``--allow-outside-files``).
    problems : list of str
        Shared list that collects problem messages.
    """

    def __init__(self, root: Path, outside_allowed: bool, problems: list[str]) -> None:
        self.root = root
        self.outside_allowed = outside_allowed
        self.problems = problems

    def path(self, name: str | None, where: str, key: str = "file") -> Path:
        """The path of the file ``name`` (relative to the study folder, given as
        ``key`` in the table ``where`` names), recording a problem when it is outside
        the folder or is no file."""
        path = self.root / (name or "")
        if not name:
            return path
        try:
            folder = self.root.resolve()
            resolved = path.resolve()
        except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a NUL byte…
            self.problems.append(f"{where} file {name!r} cannot be followed to a file "
                                 f"({_reason(exc)}); give the path of a file inside "
                                 f"the study folder {self.root.absolute()}")
            return path
        if not (self.outside_allowed or resolved.is_relative_to(folder)):
            named = Path(os.path.normpath(path.absolute()))
            link = named.is_relative_to(Path(os.path.normpath(self.root.absolute())))
            self.problems.append(_outside_message(name, where, key, path, resolved,
                                                  folder, link=link))
            return path
        if not _is_file(path):
            self._missing(name, where, path)
        return path

    def _missing(self, name: str, where: str, path: Path) -> None:
        try:
            siblings = [p.name for p in path.parent.glob("*")] if path.parent.is_dir() \
                else []
        except OSError:
            siblings = []
        hint = closest(path.name, siblings)
        tip = f"; did you mean {hint!r}?" if hint else ""
        self.problems.append(f"{where} file {name!r} does not exist in {path.parent}{tip}")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the file system, a NUL byte
        return False


def _reason(exc: BaseException) -> str:
    """Why a path could not be followed, in a few words (``symlink loop from '…'``)."""
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    text = text or type(exc).__name__
    return text[:1].lower() + text[1:]


def _outside_message(name: str, where: str, key: str, path: Path, resolved: Path,
                     folder: Path, *, link: bool) -> str:
    """Why a file outside the study folder is refused, and the two ways on: a copy
    inside the folder (a command that makes it), or the option that allows it."""
    what = "is inside the study folder by name, but a link leads outside it" if link \
        else "is outside the study folder"
    if _is_link(path):  # the named file is the link: put the file in its place
        copy = (f"replace the link with a copy of the file (rm {_shell(path)} && cp "
                f"{_shell(resolved)} {_shell(path)})")
    else:
        copy = (f"put a copy of the file in the folder (cp {_shell(resolved)} "
                f'{_shell(folder)}/) and write {key} = "{resolved.name}"')
    return (f"{where} file {name!r} {what}: it resolves to {resolved}, which is not inside "
            f"{folder}. A study reads only files inside its folder, so that a cpower.toml "
            f"cannot bring any file of this computer into a report. Fix: {copy}, or, if "
            f"you trust this cpower.toml, pass {OUTSIDE_OPTION} (allow_outside_files=True "
            "in Python)")


def _is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except (OSError, ValueError):
        return False


def _shell(path: Path) -> str:
    """``path`` quoted for a POSIX shell when it needs quotes."""
    return shlex.quote(str(path))
