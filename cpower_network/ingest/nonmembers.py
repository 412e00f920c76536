"""Answers that are not members: "Someone else (please specify)", "No one in particular",
"Don't know".

Survey platforms add such choices to member lists, and respondents type them into
name boxes. They are not names to match: they are set aside and counted with their
reason ("non-member choice"), never errors that block analysis and never guessed to be
someone. Text is first matched to the roster, so a member whose name happens to be on
this list is still that member.

A study adds its own wording study-wide (``[study] non_members = [...]``) or per
question (``non_members = [...]``); the defaults below cover the platforms' usual
English and Spanish wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .names import normalise_name

DEFAULT_NON_MEMBERS = (
    "other", "others", "someone else", "somebody else", "someone not listed",
    "not listed", "another person", "another member", "other person", "other member",
    "no one", "no-one", "noone", "nobody", "no one in particular", "none",
    "none of the above", "none of these", "not applicable", "n/a", "na",
    "don't know", "dont know", "do not know", "i don't know", "i do not know",
    "not sure", "unsure", "can't say", "prefer not to say", "prefer not to answer",
    "otro", "otra", "otra persona", "alguien más", "nadie", "ninguno", "ninguna",
    "no sé", "no se",
)

#: Trailing wording platforms add to a non-member choice: "(please specify)",
#: ", please specify", ": ___", " - Text". A run of dashes or dots is only tried from its
#: first character (the look-behind), which gives the same result as trying every one but
#: in time linear in the run, not quadratic (a cell of 60,000 dashes took minutes).
_TRAILING = re.compile(
    r"\s*([\(\[][^()\[\]]*[\)\]]|[,:;\-–]\s*(please\s+)?(specify|explain|name)"
    r"(\s+(below|here|them|who))?\s*[:.…_\-–]*|(?<![:\-–_.…])[:\-–_.…]+)\s*$")

#: Header endings of the column holding a write-in ("other, please specify") text.
WRITE_IN_SUFFIXES = ("_text", "_other", "/other", "-other", " - text", "_specify")
WRITE_IN_WORDS = ("please specify", "- text", "other (specify", "write-in", "write in")


class NonMembers:
    """Recognises non-member wording.

    Parameters
    ----------
    phrases : iterable of str
        Wording to recognise in addition to :data:`DEFAULT_NON_MEMBERS`.

    Examples
    --------
    >>> nm = NonMembers(["Not in coalition"])
    >>> nm("Someone else (please specify)"), nm("No one in particular"), nm("Ana Ruiz")
    (True, True, False)
    >>> nm("Other, please specify:"), nm("not in coalition")
    (True, True)

    The wording must end the text: a name after it is not swallowed.

    >>> nm("Other, please specify, Dana Wells"), nm("Other (specify) Dana")
    (False, False)
    """

    def __init__(self, phrases: Iterable[str] = ()) -> None:
        self.phrases = frozenset(normalise_name(p) for p in (*DEFAULT_NON_MEMBERS, *phrases))

    @property
    def phrases(self) -> frozenset[str]:
        """The wording recognised, folded (:func:`~.names.normalise_name`)."""
        return self._phrases

    @phrases.setter
    def phrases(self, phrases: frozenset[str]) -> None:
        self._phrases = phrases
        self._starts = tuple(phrases)

    def __call__(self, text: str) -> bool:
        folded = normalise_name(text)
        if not folded:
            return False
        if folded in self.phrases:
            return True
        # What is left once the trailing wording is cut is the start of the text, so a
        # text that starts with no phrase is no choice (and the pattern need not run).
        if not folded.startswith(self._starts):
            return False
        stripped = _TRAILING.sub("", folded).strip()
        return bool(stripped) and stripped in self.phrases

    def extended(self, phrases: Iterable[str]) -> NonMembers:
        """A copy that also recognises ``phrases`` (a question's own wording)."""
        extra = list(phrases)
        if not extra:
            return self
        copy = NonMembers()
        copy.phrases = self.phrases | {normalise_name(p) for p in extra}
        return copy


def is_write_in_column(column_id: str, column_text: str) -> bool:
    """True for the column holding the typed text of an "other, please specify" choice
    (Qualtrics ``Q3_6_TEXT``, KoboToolbox ``q3_other``, SurveyMonkey ``Other (please
    specify)``).

    >>> is_write_in_column("Q3_6_TEXT", ""), is_write_in_column("advice_1", "Advice 1")
    (True, False)
    """
    folded_id = column_id.strip().casefold()
    folded_text = normalise_name(column_text)
    return folded_id.endswith(WRITE_IN_SUFFIXES) or any(
        word in folded_text or word in folded_id for word in WRITE_IN_WORDS)
