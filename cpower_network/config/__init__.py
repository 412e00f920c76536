"""Configuration: ``cpower.toml`` read and checked, and the defaults behind it.

:mod:`.study` is the study model (:class:`StudyConfig`) and its reader, with one module
per table it reads: :mod:`.roster` the roster and focus groups, :mod:`.relations` the
relations, :mod:`.surveys` the waves, their surveys and questions,
:mod:`.perception_items` the built-in perception items; :mod:`.schema` the typed table
reader; :mod:`.reference` every key with its meaning (the text of
``docs/configuration.md``), written with :mod:`.reference_model`; :mod:`.settings` the
``[analysis]`` settings; :mod:`.scales` answer scales; :mod:`.indicators` the
``[indicators]`` settings and :mod:`.evidence_items` the evidence items they weigh;
:mod:`.groups` the small-group policy; :mod:`.files` which files a study may read.
:mod:`cpower_network.init` writes new studies (``cpower init``).
"""

from __future__ import annotations

from ..common.lazy import lend

#: The names this package's module once held, loaded on first use (PEP 562): importing
#: one module of the package does not load the others.
_WHERE = {
    **dict.fromkeys(["CONFIG_NAME", "TOP_KEYS", "StudyConfig", "parse_config", "read_config"],
                    "study"),
    **dict.fromkeys(["BUILT_IN", "COMBINE_RULES", "CONTACT_ROLES", "DIRECTIONS",
                     "RECIPROCITY_RULES", "ROLE_FROM_KEY", "ROLES", "Relation"], "relations"),
    **dict.fromkeys(["LEADERSHIP", "FocusGroup", "RosterConfig"], "roster"),
    **dict.fromkeys(["HEADER_ROWS", "MAX_HEADER_ROWS", "MEMBER_SLOT", "PLATFORMS",
                     "QUESTION_KEYS", "SHAPES", "Question", "SurveyFile", "Wave"], "surveys"),
    **dict.fromkeys(["DEFAULT_ITEMS", "MILESTONES", "PerceptionItem"], "perception_items"),
    "TABLE_KEY": "schema",
}


__getattr__, __dir__ = lend(__name__, _WHERE, globals())


__all__ = sorted(_WHERE)
