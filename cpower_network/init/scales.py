"""Answer scales seen in survey exports: what kind of cells a block holds, and the
natural order of the labels people chose.

Nothing here invents a label: a scale is built only from labels actually seen, ordered
by a known family (frequency, extent, agreement, …). Labels no family knows are kept in
the order they were first seen and flagged for the user to check.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..config.scales import normalise_label
from ..ingest.rostercells import parse_flag


@dataclass(frozen=True)
class Family:
    """An ordered answer scale people commonly use.

    Attributes
    ----------
    name : str
        The scale name written to ``[scales]``.
    levels : tuple of tuple of str
        Lowest level first; each level lists the spellings it is known by.
    base : int
        The number of the lowest level seen: 0 for frequency-like scales ("Never" = 0),
        1 for Likert-like ones ("Strongly disagree" = 1).
    kind : str
        How the family reads, for comments ("a frequency scale").
    """

    name: str
    levels: tuple[tuple[str, ...], ...]
    base: int
    kind: str

    def rank(self, label: str) -> int | None:
        """The level of ``label`` in this family, or ``None``.

        >>> FAMILIES[0].rank("  monthly "), FAMILIES[0].rank("Sometimes")
        (5, None)
        """
        wanted = _fold(label)
        for rank, spellings in enumerate(self.levels):
            if wanted in spellings:
                return rank
        return None


def _fold(label: str) -> str:
    """A label as families spell it; a KoboToolbox choice name ("a_few_times_a_year")
    folds like its label."""
    return normalise_label(label.replace("_", " ")).replace("’", "'").rstrip(".")


def is_choice_name(label: str) -> bool:
    """A label written as a platform's choice name (``a_few_times_a_year``), which the
    scale must declare as a code of its label rather than take as a label.

    >>> is_choice_name("a_few_times_a_year"), is_choice_name("A few times a year")
    (True, False)
    """
    return "_" in label.strip() and " " not in label.strip()


FAMILIES: tuple[Family, ...] = (
    Family("frequency", (
        ("never",),
        ("less than once a year", "less than yearly"),
        ("once a year", "yearly", "annually", "about once a year"),
        ("a few times a year", "several times a year", "every few months"),
        ("quarterly", "every 3 months", "every three months", "once a quarter"),
        ("monthly", "once a month", "about once a month", "every month"),
        ("a few times a month", "several times a month", "every other week",
         "every two weeks", "biweekly", "twice a month"),
        ("weekly", "once a week", "about once a week", "every week"),
        ("a few times a week", "several times a week"),
        ("daily", "every day", "almost every day", "almost daily"),
    ), 0, "a frequency scale"),
    Family("how_often", (
        ("never",), ("rarely", "seldom"), ("sometimes", "occasionally"),
        ("often", "frequently", "usually"), ("very often",), ("always",),
    ), 0, "a frequency scale (never … always)"),
    Family("extent", (
        ("not at all", "none"), ("very little", "slightly", "a little bit"),
        ("a little", "a bit", "a small amount"),
        ("somewhat", "some", "moderately", "to some extent", "a fair amount"),
        ("quite a bit", "a good deal"), ("a lot", "very much", "a great deal",
                                         "to a great extent"),
        ("completely", "fully", "entirely"),
    ), 1, "an extent scale (not at all … a lot)"),
    Family("agree", (
        ("strongly disagree",), ("disagree",),
        ("somewhat disagree", "slightly disagree", "mostly disagree", "tend to disagree"),
        ("neither agree nor disagree", "neither agree or disagree", "neutral",
         "neither disagree nor agree", "undecided"),
        ("somewhat agree", "slightly agree", "mostly agree", "tend to agree"),
        ("agree",), ("strongly agree",),
    ), 1, "an agreement scale"),
    Family("quality", (
        ("very poor",), ("poor",), ("fair",), ("good",), ("very good",), ("excellent",),
    ), 1, "a quality scale"),
    Family("satisfaction", (
        ("very dissatisfied",), ("dissatisfied", "somewhat dissatisfied"),
        ("neither satisfied nor dissatisfied", "neutral"),
        ("satisfied", "somewhat satisfied"), ("very satisfied",),
    ), 1, "a satisfaction scale"),
    Family("importance", (
        ("not at all important", "not important"), ("slightly important",),
        ("somewhat important", "moderately important"), ("important",),
        ("very important",), ("extremely important",),
    ), 1, "an importance scale"),
)


@dataclass
class CellKinds:
    """What the non-blank cells of a block hold.

    ``kind`` is ``empty`` (no answers), ``ticks`` (1/0, yes/no, TRUE/FALSE or the
    option's own text), ``numeric`` (bare numbers, at least half of the cells: codes,
    not labels) or ``labels``.
    """

    kind: str
    cells: int = 0
    labels: Counter = field(default_factory=Counter)
    spellings: dict[str, Counter] = field(default_factory=dict)
    numbers: list[str] = field(default_factory=list)


def is_number(text: str) -> bool:
    """``True`` for a bare number.

    >>> is_number(" 4 "), is_number("4.5"), is_number("A lot"), is_number("nan")
    (True, True, False, False)
    """
    try:
        value = float(text.strip())
    except ValueError:
        return False
    return value == value and abs(value) != float("inf")


def classify(cells: Iterable[tuple[str, Iterable[str]]]) -> CellKinds:
    """Classify a block's cells; each comes with the option texts of its column.

    Parameters
    ----------
    cells : iterable of (cell, option texts)
        Option texts are what a per-choice column holds when ticked (the member's name
        or header token in SurveyMonkey-style exports); empty for other columns.

    Examples
    --------
    >>> classify([("1", ()), ("", ()), ("0", ())]).kind
    'ticks'
    >>> classify([("Ana Ruiz", ("Ana Ruiz", "m1"))]).kind
    'ticks'
    >>> found = classify([("Weekly", ()), ("weekly ", ()), ("Never", ())])
    >>> found.kind, sorted(found.labels.items())
    ('labels', [('never', 1), ('weekly', 2)])
    >>> classify([("1", ()), ("4", ())]).kind, classify([]).kind
    ('numeric', 'empty')
    >>> classify([("5", ()), ("Agree", ())]).kind, classify([("5", ()), ("A", ()), ("B", ())]).kind
    ('numeric', 'labels')
    """
    found = CellKinds("empty")
    all_ticks = all_numbers = True
    for raw, options in cells:
        cell = raw.strip()
        if not cell:
            continue
        found.cells += 1
        folded = normalise_label(cell)
        tick = parse_flag(cell) is not None or folded in {normalise_label(o) for o in options}
        all_ticks = all_ticks and tick
        number = is_number(cell)
        all_numbers = all_numbers and number
        if number:
            found.numbers.append(cell)
        else:
            found.labels[folded] += 1
            found.spellings.setdefault(folded, Counter())[cell] += 1
    if found.cells:
        mostly_numbers = all_numbers or len(found.numbers) * 2 >= found.cells
        found.kind = "ticks" if all_ticks else "numeric" if mostly_numbers else "labels"
    return found


@dataclass
class ScaleGuess:
    """A scale being built from the labels seen in one or more blocks.

    Attributes
    ----------
    name : str
        Its key under ``[scales]``.
    family : Family or None
        The known family its labels belong to; ``None`` when they could not be ordered.
    labels : Counter
        Normalised label -> how many cells held it.
    spellings : dict
        Normalised label -> Counter of the spellings seen (the commonest is written).
    order : list of str
        Normalised labels in first-seen order (used when the family is unknown).
    sources : list of str
        Where the labels were seen, for the ``# seen:`` comment.
    """

    name: str
    family: Family | None
    labels: Counter = field(default_factory=Counter)
    spellings: dict[str, Counter] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, kinds: CellKinds, source: str) -> None:
        """Add the labels of one block."""
        for label, count in kinds.labels.items():
            if label not in self.labels:
                self.order.append(label)
            self.labels[label] += count
            self.spellings.setdefault(label, Counter()).update(kinds.spellings[label])
        self.sources.append(source)

    def ordered(self) -> list[tuple[str, int]]:
        """(label as written, number) in natural order.

        Examples
        --------
        >>> scale = ScaleGuess("frequency", FAMILIES[0])
        >>> scale.add(classify([(c, ()) for c in ("Weekly", "Never", "Monthly")]), "grid")
        >>> scale.ordered()
        [('Never', 0), ('Monthly', 1), ('Weekly', 2)]
        """
        if self.family is None:
            return [(self._written(label), i) for i, label in enumerate(self.order)]
        family = self.family
        ranks = sorted({family.rank(label) for label in self.known()})
        return [(label, family.base + ranks.index(rank))
                for rank in ranks for label in self._spelled(rank)]

    def codes(self) -> dict[str, str]:
        """Choice names seen (``a_few_times_a_year``) -> the label written for their level.

        >>> scale = ScaleGuess("frequency", FAMILIES[0])
        >>> scale.add(classify([(c, ()) for c in ("never", "a_few_times_a_year")]), "g")
        >>> scale.ordered(), scale.codes()
        ([('never', 0), ('A few times a year', 1)], {'a_few_times_a_year': 'A few times a year'})
        """
        if self.family is None:
            return {}
        return {self._written(label): self._spelled(self.family.rank(label))[0]
                for label in self.known() if is_choice_name(self._written(label))}

    def _spelled(self, rank: int) -> list[str]:
        """The labels written for a level: every spelling seen that is not a choice
        name, else the family's own wording."""
        family = self.family
        seen = [self._written(label) for label in self.known() if family.rank(label) == rank]
        plain = [label for label in seen if not is_choice_name(label)]
        return plain or [family.levels[rank][0].capitalize()]

    def known(self) -> list[str]:
        """Labels the family orders (all of them when the family is unknown)."""
        if self.family is None:
            return list(self.order)
        return [label for label in self.order if self.family.rank(label) is not None]

    def unknown(self) -> list[str]:
        """Labels seen that the family cannot place (left off the scale)."""
        if self.family is None:
            return []
        return [self._written(label) for label in self.order
                if self.family.rank(label) is None]

    def checks(self) -> list[str]:
        """What the user must confirm about this scale.

        >>> scale = ScaleGuess("agree", FAMILIES[3])
        >>> scale.add(classify([("Agree", ()), ("Strongly agree", ())]), "items")
        >>> scale.checks()[0][:54]
        "[scales] agree: nobody chose 'strongly disagree', the "
        """
        where = f"[scales] {self.name}"
        labels = ", ".join(repr(label) for label, _ in self.ordered())
        if self.family is None:
            return [f"{where}: the labels {labels} follow no order cpower knows; they are "
                    "numbered in the order first seen: put them in order and renumber"]
        found = []
        if self.unknown():
            found.append(f"{where}: {', '.join(map(repr, self.unknown()))} fit no level of "
                         f"{self.family.kind} and are left off it (validate lists those "
                         "answers): add them in order, or correct the answers")
        if self.known() and min(self.family.rank(label) for label in self.known()) > 0:
            bottom = self.family.levels[0][0]
            found.append(f"{where}: nobody chose {bottom!r}, the lowest answer of "
                         f"{self.family.kind}, so numbers start at the lowest label seen; "
                         "if the survey offered it, add it first and renumber")
        return found

    def _written(self, label: str) -> str:
        return self.spellings[label].most_common(1)[0][0]


def family_of(labels: Iterable[str]) -> Family | None:
    """The family placing the most of ``labels`` (at least half of them), or ``None``.

    >>> family_of(["never", "monthly", "weekly"]).name
    'frequency'
    >>> family_of(["never", "sometimes", "always"]).name
    'how_often'
    >>> family_of(["red", "green"]) is None
    True
    """
    labels = list(labels)
    best, placed = None, 0
    for family in FAMILIES:
        count = sum(family.rank(label) is not None for label in labels)
        if count > placed:
            best, placed = family, count
    return best if labels and placed * 2 >= len(labels) else None


def yes_no(kinds: CellKinds) -> bool:
    """Cells that are all yes/no words (not 1/0 codes).

    >>> yes_no(classify([("Yes", ()), ("No", ())])), yes_no(classify([("1", ())]))
    (True, False)
    """
    return kinds.kind == "ticks" and not kinds.numbers and bool(kinds.labels)
