"""Names from question texts: relation keys, perception items, decision topics, slugs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..config.perception_items import DEFAULT_ITEMS
from ..errors import clip as cut


@dataclass(frozen=True)
class RelationKind:
    """A relation cpower recognises from a question's wording.

    ``symmetric``: mutual by nature (written as an undirected relation); ``about``: what
    it measures, for the file's comment; ``role``: the evidence role indicators find it
    by (one of :data:`cpower_network.config.relations.ROLES`), or ``None`` when it plays none.
    """

    key: str
    label: str
    symmetric: bool
    about: str
    role: str | None
    patterns: tuple[str, ...]


#: Checked in this order: "How much do you trust each member you work with" is trust,
#: "How often do you go to … for advice" is advice.
RELATION_KINDS: tuple[RelationKind, ...] = (
    RelationKind("trust", "Trust", False, "trust between members (directed; several trust "
                 "questions are averaged per pair)", "trust", (r"\btrust",)),
    RelationKind("advice", "Go to for advice", False, "who seeks whose advice (directed: "
                 "being sought out is a sign of standing)", "advice",
                 (r"\badvi[cs]e", r"\bgo to\b", r"\bturn to\b", r"\bseek")),
    RelationKind("influence", "Opinion carries weight", False, "perceived influence: whose "
                 "opinion carries weight (a measure of power)", "influence",
                 (r"\binfluen", r"\bweight\b", r"\bopinion")),
    RelationKind("resources", "Share resources", False, "resource flows: funding, staff or "
                 "in-kind support (directed)", "resources",
                 (r"\bresource", r"\bfund", r"\bmoney\b", r"\bin-kind\b")),
    RelationKind("collaborate", "Work together", True, "who works with whom (mutual by "
                 "nature, so undirected)", "collaboration",
                 (r"\bwork(ed|s)? (with|together)", r"\bcollab", r"\bpartner",
                  r"\bhow often\b")),
    RelationKind("know", "Know each other", True, "who knows whom, the widest net of "
                 "acquaintance (mutual by nature, so undirected)", "knows",
                 (r"\bknow\b", r"\bknew\b", r"\bfamiliar\b")),
    RelationKind("information", "Share information", False, "who passes information to "
                 "whom (directed)", None, (r"\binform", r"\bnews\b")),
)

#: A partner rated on how much they are worth to the coalition (power, involvement,
#: resources): the relation of the value facets (see :func:`facet_of`).
VALUE_KIND = RelationKind("value", "Value to the coalition", False, "how much each partner "
                          "is worth to the coalition: power and influence, involvement, "
                          "resources (directed ratings, averaged per pair)", "value", ())

#: The trust and value facets (:data:`cpower_network.measures.facets.FACETS`) a rating question's
#: wording names, checked in this order.
FACET_PATTERNS: tuple[tuple[str, str], ...] = (
    ("reliability", r"follows? through|\breliab|\bdependab|\bkeeps? (their|its) (word|promise)"),
    ("openness", r"\bopen (with|to)\b|\bopenness\b"),
    ("mission", r"\bmission\b"),
    ("power", r"\bhow much (influence|power)\b|\bpower and influence\b"),
    ("involvement", r"\btake part\b|\binvolvement\b|\bhow involved\b"),
    ("resources", r"\b(bring|contribute)s? to the (coalition|network|collaborative)\b"),
)

STOPWORDS = frozenset((
    "a", "about", "all", "an", "and", "any", "apply", "are", "as", "at", "be", "by", "can",
    "could", "do", "does", "each", "every", "for", "from", "have", "how", "i", "in", "is",
    "it", "me", "member", "members", "much", "my", "of", "often", "on", "or", "other",
    "others", "our", "please", "select", "should", "that", "the", "these", "this", "those",
    "to", "was", "we", "were", "what", "when", "which", "who", "whom", "whose", "with",
    "would", "you", "your"))


def relation_kind(text: str) -> RelationKind | None:
    """The relation a question's wording asks about, or ``None``.

    >>> relation_kind("How often do you work with each member? - {member}").key
    'collaborate'
    >>> relation_kind("How much do you trust each member you work with?").key
    'trust'
    >>> relation_kind("Whose opinion carries the most weight?").key
    'influence'
    >>> relation_kind("Who would you call in a crisis?") is None
    True
    """
    folded = text.casefold()
    for kind in RELATION_KINDS:
        if any(re.search(pattern, folded) for pattern in kind.patterns):
            return kind
    return None


def facet_of(text: str) -> str | None:
    """The trust or value facet a rating grid's wording asks about, or ``None``.

    >>> facet_of("How much do you trust each member to follow through on commitments?")
    'reliability'
    >>> facet_of("How much influence does each member have over what we decide?")
    'power'
    >>> facet_of("How often do you work with each member?") is None
    True
    """
    folded = text.casefold()
    for facet, pattern in FACET_PATTERNS:
        if re.search(pattern, folded):
            return facet
    return None


def words(text: str) -> list[str]:
    """Lower-case ASCII words of ``text`` (accents folded).

    >>> words("Whom do you go to for Advice? (Núñez)")
    ['whom', 'do', 'you', 'go', 'to', 'for', 'advice', 'nunez']
    """
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").casefold()
    return re.findall(r"[a-z0-9]+", ascii_text)


def slug(text: str, *, limit: int = 3, fallback: str = "relation") -> str:
    """A short TOML key from a text: its first significant words joined by ``_``.

    >>> slug("Who would you call in a crisis?")
    'call_crisis'
    >>> slug("???", fallback="question")
    'question'
    """
    found = [w for w in words(text) if w not in STOPWORDS and w != "member"]
    return "_".join(found[:limit]) or fallback


def stem(text: str) -> str:
    """The question text without its member placeholder and trailing separators.

    >>> stem("How often do you work with each member? - {member}")
    'How often do you work with each member?'
    >>> stem("network/collab_{member}"), stem("Trust [{member}]")
    ('network/collab', 'Trust')
    """
    text = text.replace("{member}", "")
    return text.strip().strip("-–_/[](): ").strip() or text.strip()


def statement(text: str) -> str:
    """The statement of a Likert item, without the question that introduces it.

    >>> statement("How much do you agree? - I can take part in the way I want")
    'I can take part in the way I want'
    >>> statement("How much do you agree? [There is fun and laughter in our work]")
    'There is fun and laughter in our work'
    >>> statement("I can state our shared vision")
    'I can state our shared vision'
    """
    bracketed = _last_bracket(text)
    if bracketed is not None:
        return bracketed.strip()
    for separator in (" - ", " – ", "?-", ":-", ": "):
        if separator in text:
            return text.rsplit(separator, 1)[1].strip()
    return text.strip()


def _last_bracket(text: str) -> str | None:
    r"""The text of the ``[…]`` that ends ``text`` (from its first ``[`` after any earlier
    ``]``), or ``None``: what ``re.search(r"\[([^\]]+)\]\s*$", text)`` finds, found in
    one pass (the search took seconds on a header of many ``[``).

    >>> _last_bracket("Agree? [I feel heard] "), _last_bracket("a [b] c"), _last_bracket("[]")
    ('I feel heard', None, None)
    """
    close = len(text.rstrip()) - 1
    if close < 0 or text[close] != "]":
        return None
    opened = text.find("[", text.rfind("]", 0, close) + 1, close)
    return text[opened + 1:close] if 0 <= opened < close - 1 else None


def match_item(text: str) -> tuple[str, int] | None:
    """The known perception item a statement clearly is, with its score (0-100).

    A match needs a score of at least 85 and a clear lead (15 points) over the next
    item, so "I feel supported" matches nothing.

    >>> match_item("I can take part in the coalition in the way I want")
    ('take_part', 100)
    >>> match_item("I feel supported") is None
    True
    """
    said = statement(text)
    if len(words(said)) < 3:
        return None
    texts = {key: item.text for key, item in DEFAULT_ITEMS.items()}
    found = process.extract(said, texts, scorer=fuzz.token_set_ratio, limit=2,
                            processor=lambda t: " ".join(words(t)))
    if not found:
        return None
    best = found[0]
    runner_up = found[1][1] if len(found) > 1 else 0
    if best[1] >= 85 and best[1] - runner_up >= 15:
        return best[2], round(best[1])
    return None


_TOPIC = re.compile(r"\b(?:shaped|shape|input (?:on|into|to)|decided|deciding on)\s+(.+)",
                    re.IGNORECASE)


def decision_topic(text: str) -> str | None:
    """What a "whose input shaped …" question is about, or ``None``.

    >>> decision_topic("Whose input shaped the budget decision? (select all) - {member}")
    'the budget decision'
    >>> decision_topic("Whose opinion carries the most weight?") is None
    True
    """
    found = _TOPIC.search(stem(text))
    if not found:
        return None
    topic = re.split(r"\?|\(|\s[-–]\s|\[", found.group(1))[0].strip(" .:-")
    return topic or None


def mentions(text: str, topic: str) -> bool:
    """``True`` when every significant word of ``topic`` appears in ``text``.

    >>> mentions("Were you involved in the budget decision?", "the budget decision")
    True
    >>> mentions("Were you involved in hiring?", "the budget decision")
    False
    """
    wanted = {w for w in words(topic) if w not in STOPWORDS}
    return bool(wanted) and wanted <= set(words(text))


def label_from(text: str) -> str:
    """A readable label: the text without trailing punctuation, first letter capital.

    >>> label_from("choosing our 2024 state budget ask?")
    'Choosing our 2024 state budget ask'
    """
    text = text.strip().rstrip("?.:!").strip()
    return text[:1].upper() + text[1:]


def clip(text: str, limit: int = 70) -> str:
    """``text`` on one line (spaces collapsed), cut to ``limit`` characters with an
    ellipsis when cut (:func:`cpower_network.errors.clip`).

    >>> clip("abcdef", 4)
    'abc…'
    """
    return cut(" ".join(str(text).split()), limit)
