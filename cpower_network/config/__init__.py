"""Configuration: ``cpower.toml`` read and checked, and the defaults behind it.

:mod:`.study` is the study model (relations, questions, waves, roster) and its reader;
:mod:`.schema` the typed table reader; :mod:`.reference` every key with its meaning (the
text of ``docs/configuration.md``); :mod:`.settings` the ``[analysis]`` settings;
:mod:`.scales` answer scales; :mod:`.indicators` the ``[indicators]`` settings;
:mod:`.groups` the small-group policy; :mod:`.files` which files a study may read;
:mod:`.templates` and :mod:`.init_from` write new studies (``cpower init``).
"""

from __future__ import annotations

import importlib
from typing import Any

#: The names this package's module once held, loaded on first use (PEP 562): importing
#: one module of the package does not load the others.
_WHERE = dict.fromkeys([
    "BUILT_IN",
    "COMBINE_RULES",
    "CONFIG_NAME",
    "CONTACT_ROLES",
    "DEFAULT_ITEMS",
    "DIRECTIONS",
    "HEADER_ROWS",
    "LEADERSHIP",
    "MAX_HEADER_ROWS",
    "MEMBER_SLOT",
    "MILESTONES",
    "PLATFORMS",
    "QUESTION_KEYS",
    "RECIPROCITY_RULES",
    "ROLE_FROM_KEY",
    "ROLES",
    "SHAPES",
    "TABLE_KEY",
    "TOP_KEYS",
    "FocusGroup",
    "PerceptionItem",
    "Question",
    "Relation",
    "RosterConfig",
    "StudyConfig",
    "SurveyFile",
    "Wave",
    "parse_config",
    "read_config",
], "study")


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


__all__ = [
    "BUILT_IN",
    "COMBINE_RULES",
    "CONFIG_NAME",
    "CONTACT_ROLES",
    "DEFAULT_ITEMS",
    "DIRECTIONS",
    "HEADER_ROWS",
    "LEADERSHIP",
    "MAX_HEADER_ROWS",
    "MEMBER_SLOT",
    "MILESTONES",
    "PLATFORMS",
    "QUESTION_KEYS",
    "RECIPROCITY_RULES",
    "ROLES",
    "ROLE_FROM_KEY",
    "SHAPES",
    "TABLE_KEY",
    "TOP_KEYS",
    "FocusGroup",
    "PerceptionItem",
    "Question",
    "Relation",
    "RosterConfig",
    "StudyConfig",
    "SurveyFile",
    "Wave",
    "parse_config",
    "read_config",
]
