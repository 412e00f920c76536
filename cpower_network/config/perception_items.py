"""The perception items cpower knows, and the milestones they are evidence for.

A perceptions question (``shape = "perceptions"``) names its items by key:
:data:`DEFAULT_ITEMS` are the built-in ones, and a study adds its own under ``[items]``
(read by :mod:`cpower_network.config.study`). This module imports nothing else of the
package, so the reference (:mod:`cpower_network.config.reference`) lists the built-in
items without an import circle.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PerceptionItem:
    """A Likert perception item and the milestone it is evidence for."""

    key: str
    text: str
    milestone: str | None = None


#: Perception items cpower knows, with the milestone each is evidence for
#: (docs/methods.md §Indicators). A study may add its own under ``[items]``.
DEFAULT_ITEMS: dict[str, PerceptionItem] = {
    item.key: item
    for item in (
        PerceptionItem("take_part", "I can take part in the way I want", "setting_the_table"),
        PerceptionItem("role_clear", "My role in the coalition is clear", "setting_the_table"),
        PerceptionItem("authenticity", "People here are authentic and honest", "safety_trust"),
        PerceptionItem("transparency", "Decisions follow transparent, clear rules", "safety_trust"),
        PerceptionItem("open_feedback", "We give open feedback and work through conflict",
                       "safety_trust"),
        PerceptionItem("fun", "There is fun and laughter in our work", "safety_trust"),
        PerceptionItem("shared_vision", "I can state our shared vision", "cohesion"),
        PerceptionItem("mutual_support", "Members support each other in solidarity", "cohesion"),
        PerceptionItem("flexibility", "The coalition adapts when things change", "cohesion"),
        PerceptionItem("funds_agreement", "I agree with how funds were distributed", "financing"),
        PerceptionItem("prepared_to_lead", "I feel prepared to lead in the coalition",
                       "lived_experience"),
        PerceptionItem("supported_to_lead", "The coalition supports me to lead",
                       "lived_experience"),
    )
}

MILESTONES = ("setting_the_table", "safety_trust", "cohesion", "financing", "lived_experience")
