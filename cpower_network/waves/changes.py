"""What changed between waves, one record each: a measure's values and test
(:class:`MeasureChange`), members joining and leaving (:class:`MemberFlow`), ties
formed and dropped (:class:`TieChange`) and focus groups' sizes (:class:`GroupSize`).

Plain data: :mod:`.measures` builds the changes and :mod:`.comparison` collects them into
a :class:`~cpower_network.waves.comparison.Comparison`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..common import notebook as nb
from ..measures.inference import ALPHA


@dataclass(frozen=True)
class MemberFlow:
    """Who joined, left and stayed between two waves (matched by roster id).

    Attributes
    ----------
    before, after : str
        The two waves' keys.
    joined, left, stayed : list of str
        Member ids (roster order).
    """

    before: str
    after: str
    joined: list[str]
    left: list[str]
    stayed: list[str]

    def __repr__(self) -> str:
        return nb.bracket("MemberFlow", (
            f"{nb.one_line(self.before, 30)} → {nb.one_line(self.after, 30)}, "
            f"{len(self.joined):,} joined, {len(self.left):,} left, "
            f"{len(self.stayed):,} stayed"))


@dataclass(frozen=True)
class TieChange:
    """Ties gained, lost and kept in one relation between two waves, among members
    present in both (a tie to someone who left is not "lost"), as reported by the
    ``answered`` of them who answered in both (a member going silent loses no ties; see
    :mod:`cpower_network.waves.views`)."""

    relation: str
    label: str
    before: str
    after: str
    kept: int
    gained: int
    lost: int
    kept_cross: int
    gained_cross: int
    lost_cross: int
    answered: int = 0


@dataclass
class MeasureChange:
    """One measure across waves: values, change, and whether it exceeds chance.

    Attributes
    ----------
    key, label, category : str
    values : list of float or None
        The measure in each wave, on all members of that wave.
    stayers : list of float or None
        The measure in each wave on the members compared (see ``basis``).
    test : {"group labels", "dyad swap", "paired swap", "none"}
        The null of the change's permutation test.
    p_value : float or None
        Two-sided permutation p of the first-to-last change among the members compared;
        None when there is none (``note`` says why).
    q_value : float or None
        Benjamini–Hochberg q-value within the comparison's tests.
    smallest_p : float or None
        The smallest p-value the test's null could give; above 0.05 the test is "not
        testable with these data" and ``p_value`` is withheld.
    draws : int or None
        Draws behind the test.
    note : str
        Why there is no p-value (not testable, a group too small, not compared).
    basis : str
        Which members (and whose reports) the ``stayers`` values use.
    compared : int or None
        How many members' reports or answers that is.
    group : str or None
        The focus group of a group-level measure; ``group_size`` its members compared.
    comparable : bool
        False when the waves' values cannot be compared (``note`` says why).
    reading : str
        One sentence an evaluator can quote.
    """

    key: str
    label: str
    category: str
    values: list[float | None]
    stayers: list[float | None]
    test: str = "none"
    p_value: float | None = None
    q_value: float | None = None
    smallest_p: float | None = None
    draws: int | None = None
    note: str = ""
    basis: str = ""
    compared: int | None = None
    group: str | None = None
    group_size: int | None = None
    comparable: bool = True
    reading: str = ""

    @property
    def change(self) -> float | None:
        return _delta(self.values) if self.comparable else None

    @property
    def change_stayers(self) -> float | None:
        return _delta(self.stayers) if self.comparable else None

    @property
    def larger_than_chance(self) -> bool:
        """Whether the change passes the false discovery rate: q < 0.05."""
        return self.q_value is not None and self.q_value < ALPHA

    def __repr__(self) -> str:
        values = " → ".join(nb.number(v) for v in self.values)
        if self.q_value is not None:
            test = (f"q {nb.number(self.q_value, 3)}, "
                    + ("larger than chance" if self.larger_than_chance else
                       "not larger than chance"))
        else:
            test = "not tested" if self.test != "none" or self.note else "no test"
        return nb.bracket("MeasureChange", f"{self.key!r}, {values}, {test}")


@dataclass(frozen=True)
class GroupSize:
    """A focus group's size in a comparison: members in each wave and among stayers.

    ``small`` (under ``small_group``, 5) is flagged in every table; ``suppressed``
    (under ``suppress_group``, 3, present throughout) has no p-value in any view and is
    left out of shared (retreat) views altogether.
    """

    key: str
    label: str
    sizes: list[int]
    stayers: int
    small: bool
    suppressed: bool


def _delta(values: list[float | None]) -> float | None:
    first, last = values[0], values[-1]
    if first is None or last is None or first != first or last != last:
        return None
    return float(last - first)
