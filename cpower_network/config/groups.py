"""How groups of few members are read (docs/methods.md §Small groups and measures not measured).

One place for the two thresholds every stage applies (indicators, findings, the report):

* under :data:`SUPPRESS_GROUP` members a group is too small to measure: its parity
  ratios, group differences and anything else computed for it alone are "not measured"
  (and hidden from every shared view);
* from :data:`SUPPRESS_GROUP` to under :data:`SMALL_GROUP` members it is measured but
  flagged: "read with care".

A study may change both in ``[analysis]`` (``small_group``, ``suppress_group``); these
are the defaults, and the functions take the values in force.

>>> group_reason(0), group_reason(1), group_reason(2, label="Grassroots")
('no members in this wave', 'group of 1 member: too small to measure (fewer than 3)', 'Grassroots is a group of 2 members: too small to measure (fewer than 3)')
>>> group_reason(3) is None, small_group_note(4), small_group_note(5) is None
(True, 'group of 4 members: read with care', True)
"""  # noqa: E501

from __future__ import annotations

from typing import Any

from ..common.wording import counted

#: Groups with fewer members than this are flagged "read with care".
SMALL_GROUP = 5
#: Groups with fewer members than this are not measured (and not shown in shared views).
SUPPRESS_GROUP = 3

__all__ = ["SMALL_GROUP", "SUPPRESS_GROUP", "group_reason", "small_group_note",
           "thresholds", "too_small"]


def thresholds(settings: Any, *, floors: bool = False) -> tuple[int, int]:
    """``(small_group, suppress_group)`` in force: a study's ``[analysis]`` values (the
    defaults when it has none). With ``floors``, never below :data:`SMALL_GROUP` and
    :data:`SUPPRESS_GROUP`: what the report applies, so that a shared view is never laxer
    than the defaults, while a study may still measure smaller groups for its evaluator.

    >>> from types import SimpleNamespace
    >>> lax = SimpleNamespace(small_group=4, suppress_group=1)
    >>> thresholds(lax), thresholds(lax, floors=True), thresholds(None)
    ((4, 1), (5, 3), (5, 3))
    """
    small = int(getattr(settings, "small_group", SMALL_GROUP))
    suppress = int(getattr(settings, "suppress_group", SUPPRESS_GROUP))
    if floors:
        return max(SMALL_GROUP, small), max(SUPPRESS_GROUP, suppress)
    return small, suppress


def too_small(size: int, suppress: int = SUPPRESS_GROUP) -> bool:
    """Whether a group of ``size`` members is too small to measure.

    >>> too_small(2), too_small(3), too_small(0)
    (True, False, True)
    """
    return size < suppress


def group_reason(size: int, *, label: str | None = None,
                 suppress: int = SUPPRESS_GROUP) -> str | None:
    """Why a group's own figures are not measured, or None when it is large enough.

    Parameters
    ----------
    size : int
        Members of the group in this wave.
    label : str, optional
        The group's label, to name it in the reason.
    suppress : int, default :data:`SUPPRESS_GROUP`

    Returns
    -------
    str or None
        "no members in this wave" (or "no grassroots members in this wave"), "group of
        1 member: too small to measure (fewer than 3)" (or "Lived experience is a group
        of 1 member: …"), None from ``suppress`` members on.
    """
    if size <= 0:
        return f"no {label.lower()} members in this wave" if label else \
            "no members in this wave"
    if not too_small(size, suppress):
        return None
    reason = (f"group of {counted(size, 'member')}: too small to measure (fewer than "
              f"{suppress})")
    return f"{label} is a {reason}" if label else reason


def small_group_note(size: int, *, label: str | None = None, small: int = SMALL_GROUP,
                     suppress: int = SUPPRESS_GROUP) -> str | None:
    """The "read with care" flag of a measured group under ``small`` members, or None.

    >>> small_group_note(3, label="Lived experience")
    'Lived experience is a group of 3 members: read with care'
    >>> small_group_note(2) is None, small_group_note(7) is None
    (True, True)
    """
    if too_small(size, suppress) or size >= small:
        return None
    note = f"group of {counted(size, 'member')}: read with care"
    return f"{label} is a {note}" if label else note
