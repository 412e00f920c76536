"""Wording shared by every stage that writes sentences (findings, exports, the command
line, the report): counts with their noun, p- and q-values, numeric silo codes and wave
labels named as a reader expects. No dependency, so a lower stage never imports the report
for a word."""

from __future__ import annotations

import re


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun, singular for one.

    >>> counted(1, "member"), counted(3, "member"), counted(0, "tie"), counted(2, "Ally", "Allies")
    ('1 member', '3 members', '0 ties', '2 Allies')
    """
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def either(words: list[str], nothing: str = "") -> str:
    """Words joined as a sentence offers a choice: "A, B or C" (``nothing`` for none).

    >>> either(["Work together", "Trust", "Advice"]), either(["Trust"]), either([], "none")
    ('Work together, Trust or Advice', 'Trust', 'none')
    """
    if not words:
        return nothing
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def probability(name: str, value: float) -> str:
    """A p- or q-value in a sentence, three decimals, "< 0.001" below that.

    >>> probability("p", 0.0004), probability("q", 0.04)
    ('p < 0.001', 'q = 0.040')
    """
    return f"{name} < 0.001" if value < 0.001 else f"{name} = {value:.3f}"


def family_of_tests(tests: int, rate: float = 0.05) -> str:
    """The family a q-value belongs to: how many tests, and the false discovery rate.

    >>> family_of_tests(60), family_of_tests(1)
    ('60 tests, false discovery rate 5 %', '1 test, false discovery rate 5 %')
    """
    return f"{counted(tests, 'test')}, false discovery rate {rate * 100:.0f} %"


def is_code(value: object) -> bool:
    """Whether a silo (or group) value is a bare number, such as a sector code.

    >>> is_code("3"), is_code(" 12 "), is_code("2.5"), is_code("Funders"), is_code("Zone 3")
    (True, True, True, False, False)
    """
    text = str(value).strip()
    return bool(text) and text.replace(".", "", 1).isdigit()


def column_words(column: str) -> str:
    """A roster column's name as words: ``_`` as spaces, a header in capitals lowered.

    >>> column_words("sector"), column_words("SECTOR_CODE"), column_words("Home_region")
    ('sector', 'sector code', 'Home region')
    """
    words = " ".join(str(column).replace("_", " ").split())
    return words.lower() if words.isupper() else words


def silo_name(value: object, column: str = "silo", *, capital: bool = False) -> str:
    """A silo as a sentence names it: a numeric code gets the silo column's name in
    front ("sector 1"; "Sector 1" to start a sentence), a name stays as it is.

    >>> silo_name("1", "sector"), silo_name("Funders", "sector"), silo_name(3, "SECTOR_CODE")
    ('sector 1', 'Funders', 'sector code 3')
    >>> silo_name("1", "sector", capital=True)
    'Sector 1'
    """
    text = str(value).strip()
    if not is_code(text):
        return str(value)
    words = f"{column_words(column) or 'silo'} {text}"
    return words[:1].upper() + words[1:] if capital else words


def labelled_count(label: str, number: int) -> str:
    """A label and its count, with a colon when the label ends in a digit (so two
    numbers never stand side by side).

    >>> labelled_count("Funders", 4), labelled_count("sector 1", 4)
    ('Funders 4', 'sector 1: 4')
    """
    return f"{label}: {number}" if label[-1:].isdigit() else f"{label} {number}"


def wave_name(label: str, *, capital: bool = False) -> str:
    """A wave as a sentence names it: ``wave`` in front, unless the label already
    starts with it ("Wave 1", "wave2").

    >>> wave_name("2024"), wave_name("Wave 1"), wave_name("wave2"), wave_name("2024", capital=True)
    ('wave 2024', 'Wave 1', 'wave2', 'Wave 2024')
    >>> wave_name("Waves of change")
    'wave Waves of change'
    """
    text = str(label)
    if STARTS_WITH_WAVE.match(text):
        return text[:1].upper() + text[1:] if capital else text
    return f"{'Wave' if capital else 'wave'} {text}"


STARTS_WITH_WAVE = re.compile(r"\s*wave(?![a-z])", re.IGNORECASE)
