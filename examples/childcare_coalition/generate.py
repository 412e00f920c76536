"""Generate the bundled example study: the Riverbend Child Care Coalition.

The story
---------
The Riverbend Child Care Coalition is a fictional statewide coalition of about seventy
members who want child care that families can afford and providers can live on. Its
members come from six silos:

* **Parents with lived experience**: parents who use (or could not find) child care;
  every one of them is flagged ``lived_experience`` and ``grassroots``.
* **Child-care providers**: centres, Head Start, and home-based family child care; the
  home-based providers are grassroots, and three of them have lived experience.
* **Grassroots organisations**: community and immigrant-family groups (grassroots; three
  organisers also have lived experience).
* **Policy and research**: advocacy groups, a budget project, a university centre.
* **Funders**: foundations and the United Way.
* **State agency partners**: the early-learning, human-services and health departments.

The coalition surveyed its members twice, a year apart. In 2024 it used **Qualtrics**; in
2025 the coordinator moved the surveys to **Google Forms**. Between the two waves it
elected a parent-majority decision team, paid parents stipends for their time and asked
members to introduce isolated members to others ("network weaving"). Four members left
after 2024 and five joined in 2025 (the roster's ``waves`` column says who belonged when).

Each wave has three surveys:

relationship
    a roster matrix "How often do you work with each of these members?" (Never / A few
    times a year / Monthly / Weekly = 0..3, relation ``collaborate``), three trust
    matrices (follow through / be open with you / share the mission, 1..4, relation
    ``trust``, averaged), three value matrices (influence over the coalition's work /
    taking part in it / what they bring to it, Not at all .. A great deal = 1..4,
    relation ``value``, averaged), trust and value asked only about members the
    respondent works with (blank otherwise), and up to five free-text names "you go to
    for advice" (``advice``).
decision
    three of the year's decisions, each with "were you involved" (Yes/No), "whose input
    shaped it" (members ticked from the roster) and "my input shaped the outcome" (agree
    1..5, asked only of those involved); then "in general, whose opinion carries the most
    weight?" (members ticked, relation ``influence``).
pulse
    the twelve perception items cpower knows
    (``cpower_network.config.perception_items.DEFAULT_ITEMS``) on the agree scale.

Planted signals (what an analysis should find)
----------------------------------------------
1. **Isolates in 2024.** Crystal Begay (a rural parent), Denise Howard (a home-based
   provider) and William Foster (a state agency analyst) have no tie in any relation, in
   either direction, in 2024: they did not answer the relationship or decision surveys and
   nobody named them (Crystal answered the pulse survey only). In 2025 Crystal and Denise
   are connected; William left the coalition.
2. **Two silos that do not meet.** Parents with lived experience and funders have one
   tie between them, in both waves: Lucía Fernández and Margaret Whitfield, who sit on the
   steering committee together, work together "a few times a year" (and rate each other's
   trust and value). Nobody else in the two silos works with, trusts, rates, asks advice
   from, or names anyone in the other silo as influential or as having shaped a decision.
3. **Lived experience gains decision influence in 2025.** Lived-experience members'
   share of the times members are named as having shaped a decision (and as carrying the
   most weight in general), divided by their share of the membership, rises from about
   0.5 in 2024 to about 1.0 in 2025; their "my input shaped the outcome" rises from about
   2.5 to about 4 on the 1..5 scale, and their pulse answers on being prepared and
   supported to lead rise with it.
4. **Response rates** of about 80 % (members who answered at least one survey), with
   lived-experience members a bit lower in 2024 (about 68 %, which cpower flags as below
   its 70 % line) and on a par in 2025.
5. **Newcomers** (who joined in 2025) have fewer collaboration ties than returning members.

Realistic noise (what ingestion must cope with)
-----------------------------------------------
* Qualtrics 2024 exports: UTF-8 with BOM, CRLF, three header rows (ids, question texts,
  JSON ``ImportId`` cells), the member id in ``ExternalReference``, per-choice multi-select
  columns holding "1" or nothing, a "Survey Preview" row from the coordinator's test, and a
  partial (unfinished) response.
* Google Forms 2025 exports: one header row starting with ``Timestamp``, the respondent
  by name in "Your name", grid columns ``Question [Member Name]``, checkbox answers joined
  with ", " in one cell, which matters for "Robert Lee, Jr." whose name contains ", ".
* Free-text advice names in lower case, with extra spaces, without accents ("Jose
  Martinez" for "José Martínez") or as nicknames listed in the configuration's
  ``[aliases]`` table ("Bob Lee", "Kate Thompson"…). Every written name can be matched:
  the example validates without errors.
* One duplicate response (Tamika Johnson sent the 2025 relationship form twice; the
  later answer is kept) and one self-nomination (Dana Whitaker ticked her own name as
  carrying the most weight in 2024): both are reported as warnings.

Determinism
-----------
All randomness comes from :class:`random.Random` streams seeded with strings derived from
:data:`SEED` (string seeds are hashed with SHA-512, so they do not depend on
``PYTHONHASHSEED``); nothing iterates over a set; files are written with :mod:`csv` and
fixed line endings. Running the generator twice gives byte-identical files.

Usage::

    python examples/childcare_coalition/generate.py            # study/ and the package copy
    python examples/childcare_coalition/generate.py --out DIR  # DIR and the package copy
    python examples/childcare_coalition/generate.py --out DIR --package-dir ""  # DIR only
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import random
import string
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20240304
WAVES = ("2024", "2025")
HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "study"
DEFAULT_PACKAGE_DIR = HERE.parents[1] / "cpower_network" / "data" / "example"

# ---------------------------------------------------------------------------------------
# The members
# ---------------------------------------------------------------------------------------
PARENTS = "Parents with lived experience"
PROVIDERS = "Child-care providers"
GRASSROOTS = "Grassroots organisations"
POLICY = "Policy and research"
FUNDERS = "Funders"
STATE = "State agency partners"
SILOS = (PARENTS, PROVIDERS, GRASSROOTS, POLICY, FUNDERS, STATE)

CO_CHAIR = "Co-chair"
STEERING = "Steering committee"
MEMBER = "Member"
BOTH = WAVES
ONLY_2024 = ("2024",)
ONLY_2025 = ("2025",)


@dataclass(frozen=True)
class Person:
    """One coalition member as the story defines them (ids are assigned later)."""

    name: str
    silo: str
    organisation: str = ""
    role: str = MEMBER
    lived_experience: bool = False
    grassroots: bool = False
    consent: bool = True
    waves: tuple[str, ...] = BOTH
    nicknames: tuple[str, ...] = ()  # other spellings, listed under [aliases]


def _parent(name: str, **kw) -> Person:
    return Person(name, PARENTS, lived_experience=True, grassroots=True, **kw)


PEOPLE: tuple[Person, ...] = (
    # Parents with lived experience (13 founding members, 2 join in 2025)
    _parent("Lucía Fernández", organisation="Family Voices Riverbend", role=STEERING),
    _parent("Tamika Johnson", organisation="Eastside Parent Network"),
    _parent("Mai Vang"),
    _parent("Crystal Begay"),  # isolated in 2024 (rural, joined just before the survey)
    _parent("Amanda Kowalski"),
    _parent("Jasmine Holloway", organisation="Family Voices Riverbend"),
    _parent("Rosa Delgado"),
    _parent("Keisha Brown", consent=False),
    _parent("Fatima Hassan", consent=False),
    _parent("Shannon O'Reilly"),
    _parent("Nhia Lor", consent=False),
    _parent("Maribel Ortiz", organisation="Family Voices Riverbend"),
    _parent("DeShawn Miller"),
    _parent("Ana Ruiz", waves=ONLY_2025),
    _parent("Tyrone Jackson", waves=ONLY_2025),
    # Child-care providers (13 founding members, 1 joins, 1 leaves)
    Person("Linda Hoffman", PROVIDERS, "Bright Start Early Learning Center", CO_CHAIR),
    Person("Robert Lee, Jr.", PROVIDERS, "Head Start of Mill County", STEERING,
           nicknames=("Bob Lee", "Robert Lee Jr")),
    Person("Patricia Gómez", PROVIDERS, "Gómez Family Child Care", lived_experience=True,
           grassroots=True),
    Person("Katherine Thompson", PROVIDERS, "YMCA of the Riverbend Valley",
           nicknames=("Kate Thompson", "Katie Thompson")),
    Person("Yolanda Price", PROVIDERS, "Little Sprouts Family Child Care",
           lived_experience=True, grassroots=True),
    Person("Hannah Schultz", PROVIDERS, "Sunrise Montessori"),
    Person("Gloria Nakamura", PROVIDERS, "Maple Street Child Development Center"),
    Person("Sokha Chea", PROVIDERS, "Chea Family Child Care", lived_experience=True,
           grassroots=True),
    Person("Brenda Walsh", PROVIDERS, "Tender Years Preschool", waves=ONLY_2024),
    Person("Marcus Reed", PROVIDERS, "Boys & Girls Club of Riverbend"),
    Person("Ingrid Larsen", PROVIDERS, "Lakeside Child Care Center"),
    Person("Denise Howard", PROVIDERS, "Howard Home Daycare", grassroots=True),  # isolate
    Person("Omar Siddiqui", PROVIDERS, "Riverbend Community College Child Development Lab"),
    Person("Dolores Ybarra", PROVIDERS, "Ybarra Family Child Care", lived_experience=True,
           grassroots=True, waves=ONLY_2025),
    # Grassroots organisations (12 founding members, 1 joins)
    Person("José Martínez", GRASSROOTS, "Comunidad Unida", STEERING, grassroots=True),
    Person("Pa Houa Xiong", GRASSROOTS, "Hmong Family Alliance", STEERING, grassroots=True),
    Person("Aaliyah Robinson", GRASSROOTS, "Eastside Parent Network", lived_experience=True,
           grassroots=True),
    Person("Teresa Walker", GRASSROOTS, "Rural Families Together", grassroots=True),
    Person("Kwame Mensah", GRASSROOTS, "African Immigrant Families Collective",
           grassroots=True),
    Person("Samuel Okafor", GRASSROOTS, "Northside Mutual Aid", grassroots=True,
           nicknames=("Sam Okafor",)),
    Person("Elena Petrova", GRASSROOTS, "New Neighbors Resource Center", grassroots=True),
    Person("Graciela Soto", GRASSROOTS, "Comunidad Unida", lived_experience=True,
           grassroots=True),
    Person("Joanne Whitehorse", GRASSROOTS, "Native Families Circle", lived_experience=True,
           grassroots=True),
    Person("Michael Brennan", GRASSROOTS, "Riverbend Labor Council", grassroots=True,
           nicknames=("Mike Brennan",)),
    Person("Tanya Brooks", GRASSROOTS, "Southside Family Resource Center", grassroots=True),
    Person("Chris Duval", GRASSROOTS, "Mill County Family Resource Center", grassroots=True),
    Person("Amira Saleh", GRASSROOTS, "Arab American Family Services", grassroots=True,
           waves=ONLY_2025),
    # Policy and research (12 founding members, 1 leaves)
    Person("Dana Whitaker", POLICY, "Riverbend Policy Institute", CO_CHAIR),
    Person("Elizabeth Carter", POLICY, "Children's Advocacy League", STEERING,
           nicknames=("Liz Carter",)),
    Person("Priya Raman", POLICY, "State University Center for Early Childhood Research"),
    Person("Jonathan Meyers", POLICY, "Kids Count Riverbend", nicknames=("Jon Meyers",)),
    Person("Anthony Ricci", POLICY, "Riverbend Policy Institute", nicknames=("Tony Ricci",)),
    Person("Naomi Goldberg", POLICY, "Children's Advocacy League"),
    Person("Victor Chen", POLICY, "State University Center for Early Childhood Research",
           waves=ONLY_2024),
    Person("Rachel Adeyemi", POLICY, "Early Learning Legal Aid"),
    Person("Stephen Park", POLICY, "Kids Count Riverbend", nicknames=("Steve Park",)),
    Person("Maya Patel", POLICY, "Riverbend Budget Project"),
    Person("Thomas Grant", POLICY, "Riverbend Budget Project"),
    Person("Claire Dubois", POLICY, "Children's Advocacy League"),
    # Funders (9 founding members, 1 leaves)
    Person("Margaret Whitfield", FUNDERS, "Whitfield Family Foundation", STEERING,
           nicknames=("Peggy Whitfield",)),
    Person("David Okonkwo", FUNDERS, "Riverbend Community Foundation"),
    Person("Susan Harmon", FUNDERS, "Harmon Health Fund"),
    Person("Kevin O'Connell", FUNDERS, "United Way of the Valley"),
    Person("Laura Bianchi", FUNDERS, "Riverbend Community Foundation"),
    Person("Benjamin Stone", FUNDERS, "Whitfield Family Foundation", waves=ONLY_2024),
    Person("Grace Kim", FUNDERS, "Valley Bank Foundation", consent=False),
    Person("Héctor Álvarez", FUNDERS, "United Way of the Valley"),
    Person("Allison Reyes", FUNDERS, "Harmon Health Fund"),
    # State agency partners (11 founding members, 1 joins, 1 leaves)
    Person("Karen Mitchell", STATE, "State Department of Early Learning", STEERING),
    Person("James Sullivan", STATE, "State Department of Early Learning"),
    Person("Angela Russo", STATE, "Department of Human Services, Child Care Subsidy Unit"),
    Person("Derek Olson", STATE, "Department of Human Services, Child Care Subsidy Unit",
           consent=False),
    Person("Monique Baptiste", STATE, "State Health Department, Home Visiting"),
    Person("Paul Nguyen", STATE, "State Department of Early Learning"),
    Person("Sarah Goldstein", STATE, "Governor's Children's Cabinet"),
    Person("Rebecca Lindqvist", STATE, "State Department of Early Learning, Licensing"),
    Person("William Foster", STATE, "Department of Human Services, Child Care Subsidy Unit",
           waves=ONLY_2024),  # isolated in 2024, then left
    Person("Jennifer Wu", STATE, "Department of Education, Pre-K Office"),
    Person("Carlos Mendoza", STATE, "Department of Human Services, Child Care Subsidy Unit"),
    Person("Nadia Karimi", STATE, "State Department of Early Learning", waves=ONLY_2025),
)

#: Members with no tie at all in a wave (planted signal 1).
ISOLATES = {"2024": ("Crystal Begay", "Denise Howard", "William Foster"), "2025": ()}
#: Answered the pulse survey although isolated.
ISOLATE_PULSE = ("Crystal Begay",)
#: The two silos that (almost) never meet (planted signal 2), and their one tie.
APART = (PARENTS, FUNDERS)
APART_TIE = ("Lucía Fernández", "Margaret Whitfield")
#: Sent the 2025 relationship form twice.
DUPLICATE = ("2025", "Tamika Johnson")
#: Ticked her own name as carrying the most weight in 2024.
SELF_NOMINATION = ("2024", "Dana Whitaker")


@dataclass
class Member:
    """A member with an id, as written to the roster."""

    id: str
    person: Person
    activity: float = 1.0  # how much this member works with others (network model)
    standing: float = 1.0  # informal influence beyond role (decision model)

    @property
    def name(self) -> str:
        return self.person.name

    @property
    def silo(self) -> str:
        return self.person.silo

    @property
    def le(self) -> bool:
        return self.person.lived_experience

    @property
    def leader(self) -> bool:
        return self.person.role in (CO_CHAIR, STEERING)

    def in_wave(self, wave: str) -> bool:
        return wave in self.person.waves


def stream(*parts: object) -> random.Random:
    """An independent, reproducible random stream for one part of the model."""
    return random.Random(":".join(str(p) for p in (SEED, *parts)))


def build_members() -> list[Member]:
    """Assign member ids: founding members in a seeded order (m001-m070), joiners after."""
    rng = stream("ids")
    founding = [p for p in PEOPLE if "2024" in p.waves]
    joiners = [p for p in PEOPLE if "2024" not in p.waves]
    rng.shuffle(founding)
    members = []
    for number, person in enumerate([*founding, *joiners], start=1):
        activity = rng.lognormvariate(0.0, 0.45)
        standing = rng.lognormvariate(0.0, 0.35)
        members.append(Member(f"m{number:03d}", person, activity, standing))
    return members


def sort_key(name: str) -> str:
    """Alphabetical order as a survey builder would list members (accents ignored)."""
    return strip_accents(name).casefold()


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def apart(u: Member, v: Member) -> bool:
    """True for a pair across the two silos that do not meet."""
    return {u.silo, v.silo} == set(APART)


# ---------------------------------------------------------------------------------------
# The network model: who works with whom, how often, how much they trust each other
# ---------------------------------------------------------------------------------------
#: Base chance that two members work together, by silo pair (before activity).
_BLOCKS = {
    (PARENTS, PARENTS): 0.30, (PARENTS, PROVIDERS): 0.10, (PARENTS, GRASSROOTS): 0.22,
    (PARENTS, POLICY): 0.05, (PARENTS, FUNDERS): 0.0, (PARENTS, STATE): 0.06,
    (PROVIDERS, PROVIDERS): 0.30, (PROVIDERS, GRASSROOTS): 0.10, (PROVIDERS, POLICY): 0.09,
    (PROVIDERS, FUNDERS): 0.04, (PROVIDERS, STATE): 0.14,
    (GRASSROOTS, GRASSROOTS): 0.32, (GRASSROOTS, POLICY): 0.10, (GRASSROOTS, FUNDERS): 0.07,
    (GRASSROOTS, STATE): 0.05,
    (POLICY, POLICY): 0.38, (POLICY, FUNDERS): 0.18, (POLICY, STATE): 0.18,
    (FUNDERS, FUNDERS): 0.45, (FUNDERS, STATE): 0.10,
    (STATE, STATE): 0.40,
}


def block(a: str, b: str) -> float:
    return _BLOCKS.get((a, b), _BLOCKS.get((b, a), 0.0))


def activity(m: Member, wave: str) -> float:
    if m.name in ISOLATES[wave]:
        return 0.0
    value = m.activity * (1.5 if m.leader else 1.0)
    if wave == "2025" and "2024" not in m.person.waves:
        value *= 0.65  # newcomers are still finding their way
    if wave == "2025" and m.name in ISOLATES["2024"]:
        value *= 0.6  # introduced to a few members by the weavers
    return value


def tie_chance(u: Member, v: Member, wave: str) -> float:
    if apart(u, v):
        return 0.0
    chance = block(u.silo, v.silo) * activity(u, wave) * activity(v, wave)
    if wave == "2025" and u.le != v.le:
        chance *= 1.5  # network weaving: lived-experience members meet more people
    return min(chance, 0.9)


@dataclass
class Wave:
    """Everything that happened in one wave (the truth the surveys are drawn from)."""

    key: str
    members: list[Member]
    frequency: dict[tuple[str, str], int] = field(default_factory=dict)  # undirected
    responded: dict[str, list[str]] = field(default_factory=dict)  # survey -> ids

    def freq(self, u: Member, v: Member) -> int:
        return self.frequency.get(pair(u, v), 0)


def pair(u: Member, v: Member) -> tuple[str, str]:
    return (u.id, v.id) if u.id < v.id else (v.id, u.id)


def build_waves(members: list[Member]) -> dict[str, Wave]:
    """Draw the true collaboration network of each wave.

    Each pair has one uniform draw shared by both waves, so ties persist from one year to
    the next unless the pair's chance changes; the frequency of a tie comes from a second
    shared draw (within-silo ties are more frequent).
    """
    rng = stream("collaboration")
    draws = {}
    for i, u in enumerate(members):
        for v in members[i + 1:]:
            draws[pair(u, v)] = (rng.random(), rng.random())
    waves = {}
    for key in WAVES:
        wave = Wave(key, [m for m in members if m.in_wave(key)])
        for i, u in enumerate(wave.members):
            for v in wave.members[i + 1:]:
                exist, how = draws[pair(u, v)]
                if exist >= tie_chance(u, v, key):
                    continue
                cuts = (0.40, 0.80) if u.silo == v.silo else (0.60, 0.92)
                wave.frequency[pair(u, v)] = 1 if how < cuts[0] else 2 if how < cuts[1] else 3
        by_name = {m.name: m for m in members}
        a, b = (by_name[n] for n in APART_TIE)
        wave.frequency[pair(a, b)] = 1
        waves[key] = wave
    return waves


# ---------------------------------------------------------------------------------------
# Who answered
# ---------------------------------------------------------------------------------------
#: Share of each group who answered the relationship survey (signal 4): parents were hard
#: to reach in 2024, before the coalition paid stipends and met in the evenings.
RESPONSE = {("2024", True): 0.63, ("2024", False): 0.82, ("2025", True): 0.8,
            ("2025", False): 0.84}


def response_weight(m: Member) -> float:
    """Leaders answer most reliably; grassroots organisers chase the survey for others."""
    return 3.0 if m.leader else 2.0 if m.silo == GRASSROOTS else 1.0


def draw_response(waves: dict[str, Wave]) -> None:
    """Decide who answered each survey (relationship, decision, pulse).

    The relationship survey's respondents are drawn to the exact rate of each group
    (lived experience or not; leaders are likelier to answer); the decision and pulse
    surveys reach a subset of the same people, so a wave's response rate is the
    relationship survey's (plus Crystal Begay, who answered only the pulse survey).
    """
    for key, wave in waves.items():
        rng = stream("response", key)
        relationship: set[str] = set()
        for le in (True, False):
            group = [m for m in wave.members if m.le == le]
            wanted = round(RESPONSE[key, le] * len(group))
            forced = [m for m in group if (key, m.name) == DUPLICATE]
            pool = [m for m in group if m not in forced and m.name not in ISOLATES[key]]
            chosen = forced + weighted_sample(pool, [response_weight(m) for m in pool],
                                              wanted - len(forced), rng)
            relationship.update(m.id for m in chosen)
        rel, dec, pulse = [], [], []
        for m in wave.members:
            r = m.id in relationship
            d = r and rng.random() < 0.94
            p = r and rng.random() < 0.96
            if m.name in ISOLATES[key]:
                d = False
                p = m.name in ISOLATE_PULSE
            if (key, m.name) == SELF_NOMINATION:
                d = True
            for flag, bucket in ((r, rel), (d, dec), (p, pulse)):
                if flag:
                    bucket.append(m.id)
        wave.responded = {"relationship": rel, "decision": dec, "pulse": pulse}


# ---------------------------------------------------------------------------------------
# Answers: relationship survey
# ---------------------------------------------------------------------------------------
FREQUENCY = ("Never", "A few times a year", "Monthly", "Weekly")
TRUST = ("Not at all", "A little", "Somewhat", "A lot")  # 1..4
AGREE = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
         "Strongly agree")  # 1..5
TRUST_ITEMS = ("follow_through", "open", "mission")
TRUST_SHIFT = {"follow_through": 0.0, "open": -0.15, "mission": 0.2}
#: The PARTNER-style facet (cpower.toml ``facet``) each trust and value grid measures.
FACETS = {"follow_through": "reliability", "open": "openness", "mission": "mission",
          "power": "power", "involvement": "involvement", "resources": "resources"}
AMOUNT = ("Not at all", "A small amount", "A fair amount", "A great deal")  # 1..4
VALUE_ITEMS = ("power", "involvement", "resources")


@dataclass
class RelationshipAnswer:
    """One member's relationship survey: reported frequency and trust per alter, advice."""

    respondent: Member
    frequency: dict[str, int | None] = field(default_factory=dict)  # alter id -> 0..3
    trust: dict[str, dict[str, int | None]] = field(default_factory=dict)  # item -> alter
    advice: list[str] = field(default_factory=list)  # names as written
    generosity: float = 0.0  # how kindly this respondent rates others (trust and value)
    value: dict[str, dict[str, int | None]] = field(default_factory=dict)  # item -> alter


def relationship_answers(wave: Wave) -> list[RelationshipAnswer]:
    rng = stream("relationship", wave.key)
    by_id = {m.id: m for m in wave.members}
    answers = []
    for rid in wave.responded["relationship"]:
        u = by_id[rid]
        answer = RelationshipAnswer(u)
        skipper = rng.random() < 0.12  # leaves some rows of the matrix blank
        generosity = rng.gauss(0.0, 0.3)
        answer.generosity = generosity
        for v in wave.members:
            if v is u:
                continue
            truth = wave.freq(u, v)
            reported: int | None = truth
            if truth and rng.random() < 0.15:
                reported = min(3, max(1 if apart(u, v) else 0, truth + rng.choice((-1, 1))))
            elif not truth and rng.random() < 0.012 and can_tie(u, v, wave.key):
                reported = 1  # remembers working together; the other does not
            if skipper and rng.random() < 0.06:
                reported = None
            answer.frequency[v.id] = reported
        for item in TRUST_ITEMS:
            answer.trust[item] = {}
        for v in wave.members:
            level = answer.frequency.get(v.id)
            if not level:
                continue
            base = 2.0 + 0.35 * level + (0.3 if u.silo == v.silo else 0.0) + generosity
            if v.silo == STATE and u.person.grassroots:
                base -= 0.35 if wave.key == "2024" else 0.1
            for item in TRUST_ITEMS:
                value = round(base + TRUST_SHIFT[item] + rng.gauss(0.0, 0.45))
                answer.trust[item][v.id] = None if rng.random() < 0.03 else min(4, max(1, value))
        answer.advice = advice_names(u, answer, wave, rng)
        answers.append(answer)
    value_ratings(wave, answers)
    return answers


# Value ratings (power and influence, involvement, resources), drawn from their own
# stream ("value", wave) after everything above, so adding them left every other answer
# of the example unchanged. Ratings depend mostly on the member rated, so two members of
# a pair usually rate each other differently (a funder sees a parent as having less power
# than the parent sees the funder as having).
ROLE_POWER = {CO_CHAIR: 1.1, STEERING: 0.6, MEMBER: 0.0}
SILO_POWER = {PARENTS: -0.3, PROVIDERS: 0.0, GRASSROOTS: 0.0, POLICY: 0.4, FUNDERS: 0.9,
              STATE: 0.7}
SILO_RESOURCES = {PARENTS: -0.5, PROVIDERS: 0.0, GRASSROOTS: 0.0, POLICY: 0.3,
                  FUNDERS: 1.2, STATE: 0.5}
INSTITUTIONS = (FUNDERS, STATE)


def value_ratings(wave: Wave, answers: list[RelationshipAnswer]) -> None:
    """Fill each answer's value ratings of the members the respondent works with."""
    rng = stream("value", wave.key)
    for answer in answers:
        u = answer.respondent
        style = 0.6 * answer.generosity + rng.gauss(0.0, 0.2)
        for item in VALUE_ITEMS:
            answer.value[item] = {}
        for v in wave.members:
            level = answer.frequency.get(v.id)
            if not level:
                continue
            means = value_means(u, v, level, wave.key)
            for item in VALUE_ITEMS:
                rating = round(means[item] + style + rng.gauss(0.0, 0.45))
                answer.value[item][v.id] = (None if rng.random() < 0.03
                                            else min(4, max(1, rating)))


def value_means(u: Member, v: Member, level: int, wave: str) -> dict[str, float]:
    """What ``u`` would rate ``v`` on each value facet, before noise (scale 1..4)."""
    grassroots_view = u.person.grassroots and v.silo in INSTITUTIONS
    institution_view = u.silo in INSTITUTIONS and v.person.grassroots
    power = 2.0 + ROLE_POWER[v.person.role] + SILO_POWER[v.silo] + 0.8 * math.log(v.standing)
    if v.le and wave == "2025":
        power += 0.35  # the parent-majority decision team
    power += 0.35 if grassroots_view else -0.35 if institution_view else 0.0
    involvement = (2.3 + 0.9 * math.log(max(activity(v, wave), 0.05)) + 0.2 * (level - 1)
                   + (0.3 if v.leader else 0.0))
    resources = 2.2 + SILO_RESOURCES[v.silo] + 0.3 * math.log(max(activity(v, wave), 0.05))
    resources += 0.3 if grassroots_view else -0.2 if institution_view else 0.0
    return {"power": power, "involvement": involvement, "resources": resources}


def can_tie(u: Member, v: Member, wave: str) -> bool:
    """Pairs the noise may connect: never isolates, never across the two apart silos."""
    return not apart(u, v) and u.name not in ISOLATES[wave] and v.name not in ISOLATES[wave]


EXPERTISE = {PARENTS: 0.8, PROVIDERS: 1.2, GRASSROOTS: 1.1, POLICY: 2.0, FUNDERS: 0.9,
             STATE: 1.4}


def advice_names(u: Member, answer: RelationshipAnswer, wave: Wave,
                 rng: random.Random) -> list[str]:
    """Up to five people the respondent goes to for advice, as they would type them."""
    by_id = {m.id: m for m in wave.members}
    candidates, weights = [], []
    for vid, level in answer.frequency.items():
        v = by_id[vid]
        if not level or apart(u, v):
            continue
        weight = level * EXPERTISE[v.silo] * (1.6 if v.leader else 1.0)
        if v.le and wave.key == "2025":
            weight *= 1.8
        candidates.append(v)
        weights.append(weight)
    count = min(len(candidates), rng.choice((0, 1, 2, 2, 3, 3, 3, 4, 5, 5)))
    chosen = weighted_sample(candidates, weights, count, rng)
    return [written_name(v, rng) for v in chosen]


def weighted_sample(items: Sequence, weights: Sequence[float], count: int,
                    rng: random.Random) -> list:
    """``count`` distinct items drawn with probability proportional to their weight."""
    pool = [(item, w) for item, w in zip(items, weights, strict=True) if w > 0]
    chosen = []
    for _ in range(min(count, len(pool))):
        total = sum(w for _, w in pool)
        x = rng.random() * total
        for index, (item, w) in enumerate(pool):
            x -= w
            if x < 0 or index == len(pool) - 1:
                chosen.append(item)
                del pool[index]
                break
    return chosen


def written_name(v: Member, rng: random.Random) -> str:
    """A member's name as a respondent might type it in a free-text box.

    Nicknames come only from the configuration's [aliases]; otherwise the name may lose
    its accents, be typed in lower case or carry stray spaces. All of these must match.
    """
    if v.person.nicknames and rng.random() < 0.35:
        return rng.choice(v.person.nicknames)
    name = v.name
    if strip_accents(name) != name and rng.random() < 0.55:
        name = strip_accents(name)
    x = rng.random()
    if x < 0.08:
        name = name.lower()
    elif x < 0.12:
        name = name.replace(" ", "  ", 1) + " "
    return name


# ---------------------------------------------------------------------------------------
# Answers: decision survey
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    key: str
    label: str
    involved: str  # question texts
    shaped_by: str
    voice: str
    salience: dict  # silo -> how much this decision is that silo's business


def _decision(key: str, label: str, topic: str, salience: dict) -> Decision:
    return Decision(
        key, label,
        involved=f"Were you involved in {topic}?",
        shaped_by=f"Whose input shaped {topic}?",
        voice=f"My input shaped the outcome of {topic}.",
        salience=salience,
    )


DECISIONS = {
    "2024": (
        _decision("budget_ask", "The 2024 state budget ask", "choosing our 2024 state "
                  "budget ask", {POLICY: 1.6, FUNDERS: 1.3, STATE: 1.2, PROVIDERS: 1.0,
                                 GRASSROOTS: 0.9, PARENTS: 0.9}),
        _decision("coordinator_hire", "Hiring the coalition coordinator", "hiring the "
                  "coalition coordinator", {POLICY: 1.2, FUNDERS: 1.5, STATE: 0.6,
                                            PROVIDERS: 1.0, GRASSROOTS: 0.9, PARENTS: 0.9}),
        _decision("family_fund", "Spending the family engagement fund", "deciding how to "
                  "spend the family engagement fund", {POLICY: 1.0, FUNDERS: 1.6, STATE: 0.8,
                                                      PROVIDERS: 0.9, GRASSROOTS: 1.1,
                                                      PARENTS: 1.0}),
    ),
    "2025": (
        _decision("policy_platform", "The 2025 policy platform", "setting our 2025 policy "
                  "platform", {POLICY: 1.4, FUNDERS: 1.0, STATE: 1.0, PROVIDERS: 1.0,
                               GRASSROOTS: 1.1, PARENTS: 1.0}),
        _decision("subsidy_redesign", "Redesigning the subsidy application", "redesigning "
                  "the child-care subsidy application with the state", {POLICY: 0.9,
                  FUNDERS: 0.6, STATE: 1.5, PROVIDERS: 1.2, GRASSROOTS: 1.0, PARENTS: 1.2}),
        _decision("parent_stipends", "Creating parent stipends", "creating stipends for "
                  "parent leaders", {POLICY: 0.8, FUNDERS: 1.4, STATE: 0.5, PROVIDERS: 0.7,
                                     GRASSROOTS: 1.1, PARENTS: 1.2}),
    ),
}
INFLUENCE_QUESTION = "In general, whose opinion carries the most weight in coalition decisions?"
ROLE_WEIGHT = {CO_CHAIR: 5.0, STEERING: 3.0, MEMBER: 1.0}
SILO_WEIGHT = {PARENTS: 1.0, PROVIDERS: 1.0, GRASSROOTS: 1.0, POLICY: 1.5, FUNDERS: 1.6,
               STATE: 1.3}
#: How much more (or less) lived-experience members are named, per wave (signal 3).
LE_WEIGHT = {"2024": 1.0, "2025": 1.2}  # named as shaping a decision
LE_GENERAL = {"2024": 1.1, "2025": 1.7}  # named as carrying the most weight in general
LE_INVOLVED = {"2024": 1.1, "2025": 1.3}
#: Members who took part in a decision are more often named as having shaped it.
TOOK_PART_WEIGHT = {True: 1.3, False: 0.8}
VOICE_MEAN = {("2024", True): 2.3, ("2025", True): 3.9, ("2024", False): 3.7,
              ("2025", False): 3.8}


@dataclass
class DecisionAnswer:
    respondent: Member
    involved: dict[str, str] = field(default_factory=dict)  # decision -> "Yes"/"No"/""
    shaped_by: dict[str, list[Member]] = field(default_factory=dict)
    voice: dict[str, int | None] = field(default_factory=dict)  # 1..5, None if not asked
    influence: list[Member] = field(default_factory=list)


def influence_weight(v: Member, wave: str, silo_weight: dict, le_weight: dict) -> float:
    """How likely ``v`` is to be named as shaping a decision or carrying weight."""
    if v.name in ISOLATES[wave]:
        return 0.0
    weight = ROLE_WEIGHT[v.person.role] * silo_weight[v.silo] * v.standing
    return weight * (le_weight[wave] if v.le else 1.0)


def decision_answers(wave: Wave) -> list[DecisionAnswer]:
    rng = stream("decision", wave.key)
    decisions = DECISIONS[wave.key]
    # who really took part in each decision (members named as shaping it took part)
    took_part = {}
    for d in decisions:
        for m in wave.members:
            chance = (0.85 if m.leader else 0.4) * d.salience[m.silo] * 0.8
            if m.le:
                chance *= LE_INVOLVED[wave.key]
            took_part[d.key, m.id] = m.name not in ISOLATES[wave.key] and rng.random() < chance
    by_id = {m.id: m for m in wave.members}
    answers = []
    for rid in wave.responded["decision"]:
        u = by_id[rid]
        answer = DecisionAnswer(u)
        for d in decisions:
            involved = took_part[d.key, u.id]
            answer.involved[d.key] = "" if rng.random() < 0.02 else ("Yes" if involved else "No")
            candidates = [v for v in wave.members if v is not u and not apart(u, v)]
            weights = [influence_weight(v, wave.key, d.salience, LE_WEIGHT) *
                       TOOK_PART_WEIGHT[took_part[d.key, v.id]] for v in candidates]
            count = rng.choice((1, 2, 2, 3, 3, 4)) if involved else rng.choice((0, 0, 1, 2))
            answer.shaped_by[d.key] = weighted_sample(candidates, weights, count, rng)
            if involved:
                mean = VOICE_MEAN[wave.key, u.le]
                answer.voice[d.key] = min(5, max(1, round(mean + rng.gauss(0.0, 0.7))))
            else:
                answer.voice[d.key] = None
        candidates = [v for v in wave.members if v is not u and not apart(u, v)]
        weights = [influence_weight(v, wave.key, SILO_WEIGHT, LE_GENERAL) for v in candidates]
        count = rng.choice((1, 2, 3, 3, 4, 5))
        answer.influence = weighted_sample(candidates, weights, count, rng)
        if (wave.key, u.name) == SELF_NOMINATION:
            answer.influence.append(u)
        answers.append(answer)
    return answers


# ---------------------------------------------------------------------------------------
# Answers: pulse survey
# ---------------------------------------------------------------------------------------
PULSE_ITEMS = (  # (key, statement as the survey shows it, mean shift)
    ("take_part", "I can take part in the coalition in the way I want", 0.2),
    ("role_clear", "My role in the coalition is clear", 0.1),
    ("authenticity", "People in the coalition are authentic and honest", 0.2),
    ("transparency", "Decisions follow transparent, clear rules", -0.3),
    ("open_feedback", "We give each other open feedback and work through conflict", -0.2),
    ("fun", "There is fun and laughter in our work", 0.3),
    ("shared_vision", "I can state our shared vision", 0.1),
    ("mutual_support", "Members support each other in solidarity", 0.3),
    ("flexibility", "The coalition adapts when things change", 0.0),
    ("funds_agreement", "I agree with how the coalition's funds were distributed", -0.2),
    ("prepared_to_lead", "I feel prepared to lead in the coalition", -0.1),
    ("supported_to_lead", "The coalition supports me to lead", -0.3),
)
LE_PULSE = {
    "2024": {"take_part": -0.6, "role_clear": -0.4, "transparency": -0.6,
             "open_feedback": -0.3, "prepared_to_lead": -0.7, "supported_to_lead": -0.9},
    "2025": {"take_part": -0.1, "transparency": -0.2, "prepared_to_lead": 0.1,
             "supported_to_lead": 0.1},
}
PULSE_QUESTION = "How much do you agree with each statement?"


def pulse_answers(wave: Wave) -> list[tuple[Member, dict[str, int | None]]]:
    rng = stream("pulse", wave.key)
    by_id = {m.id: m for m in wave.members}
    answers = []
    for rid in wave.responded["pulse"]:
        u = by_id[rid]
        mood = rng.gauss(0.0, 0.5)
        values: dict[str, int | None] = {}
        for key, _, shift in PULSE_ITEMS:
            mean = 3.5 + shift + mood + (0.1 if wave.key == "2025" else 0.0)
            if u.le:
                mean += LE_PULSE[wave.key].get(key, 0.0)
            if key == "funds_agreement" and u.person.grassroots and not u.le:
                mean -= 0.5
            value = min(5, max(1, round(mean + rng.gauss(0.0, 0.7))))
            values[key] = None if rng.random() < 0.02 else value
        answers.append((u, values))
    return answers


# ---------------------------------------------------------------------------------------
# Writing: CSV helpers
# ---------------------------------------------------------------------------------------
def csv_bytes(rows: Iterable[Sequence[str]], *, bom: bool = False, crlf: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n")
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


def label(scale: Sequence[str], value: int | None, *, start: int) -> str:
    return "" if value is None else scale[value - start]


def field_times(wave: str, count: int, rng: random.Random,
                minutes: tuple[int, int]) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) times over the three weeks the survey was open, in order of end."""
    year = int(wave)
    opened = dt.datetime(year, 3, 4, 8, 0, 0)
    times = []
    for _ in range(count):
        day = rng.choice((0, 0, 0, 1, 1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17))
        start = opened + dt.timedelta(days=day, seconds=rng.randrange(0, 11 * 3600))
        took = dt.timedelta(seconds=rng.randrange(minutes[0] * 60, minutes[1] * 60))
        times.append((start, start + took))
    return sorted(times, key=lambda t: t[1])  # exports list responses as they were recorded


# ---------------------------------------------------------------------------------------
# Writing: Qualtrics (2024)
# ---------------------------------------------------------------------------------------
_QUALTRICS_META = (  # (id, text, ImportId JSON)
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"America/Chicago"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"America/Chicago"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date",
     '{"ImportId":"recordedDate","timeZone":"America/Chicago"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
)


class QualtricsSheet:
    """Builds a Qualtrics CSV export: three header rows, then one row per response."""

    def __init__(self, survey: str, wave: str) -> None:
        self.rng = stream("qualtrics", survey, wave)
        self.ids = [c[0] for c in _QUALTRICS_META]
        self.texts = [c[1] for c in _QUALTRICS_META]
        self.imports = [c[2] for c in _QUALTRICS_META]
        self.rows: list[list[str]] = []
        self.question = 0

    def add(self, suffix: str, text: str, import_suffix: str | None = None) -> int:
        """Add a column of the current question; return its index."""
        self.ids.append(f"Q{self.question}{suffix}")
        self.texts.append(text)
        self.imports.append(f'{{"ImportId":"QID{self.question}{import_suffix or suffix}"}}')
        return len(self.ids) - 1

    def next_question(self) -> None:
        self.question += 1

    def response_id(self) -> str:
        chars = string.ascii_letters + string.digits
        return "R_" + "".join(self.rng.choice(chars) for _ in range(15))

    def row(self, start: dt.datetime, end: dt.datetime, member_id: str, answers: dict[int, str],
            *, preview: bool = False, progress: int = 100) -> None:
        finished = progress == 100
        recorded = end if finished else end + dt.timedelta(days=7)
        ip = "" if preview else f"{self.rng.choice(('198.51.100', '203.0.113'))}." \
                                f"{self.rng.randrange(2, 250)}"
        meta = [
            stamp(start), stamp(end), "Survey Preview" if preview else "IP Address", ip,
            str(progress), str(int((end - start).total_seconds())),
            "True" if finished else "False", stamp(recorded + dt.timedelta(seconds=1)),
            self.response_id(), "", "", "", member_id, "", "",
            "preview" if preview else "email", "EN",
        ]
        cells = meta + [""] * (len(self.ids) - len(meta))
        for index, value in answers.items():
            cells[index] = value
        self.rows.append(cells)

    def to_bytes(self) -> bytes:
        return csv_bytes([self.ids, self.texts, self.imports, *self.rows], bom=True, crlf=True)


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def matrix_member_order(wave: Wave) -> list[Member]:
    return sorted(wave.members, key=lambda m: sort_key(m.name))


RELATIONSHIP_TEXT = {
    "collaborate": "How often do you work with each of these members?",
    "follow_through": "How much do you trust each member you work with to follow through "
                      "on what they commit to?",
    "open": "How much do you trust each member you work with to be open with you?",
    "mission": "How much do you trust each member you work with to share the coalition's "
               "mission?",
    "power": "How much influence does each member you work with have over what the "
             "coalition does and decides?",
    "involvement": "How much does each member you work with take part in the coalition's "
                   "work?",
    "resources": "How much does each member you work with bring to the coalition in money, "
                 "time, expertise, information or connections?",
}
ADVICE_TEXT = ("Think of up to five coalition members you go to for advice about child-care "
               "policy or practice. Please write their full names.")


def qualtrics_relationship(wave: Wave, answers: list[RelationshipAnswer]) -> bytes:
    sheet = QualtricsSheet("relationship", wave.key)
    order = matrix_member_order(wave)
    columns: dict[str, dict[str, int]] = {}
    for part in ("collaborate", *TRUST_ITEMS):
        sheet.next_question()
        columns[part] = {m.id: sheet.add(f"_{i}", f"{RELATIONSHIP_TEXT[part]} - {m.name}")
                         for i, m in enumerate(order, start=1)}
    # The value grids come before the advice question (Q5) in the survey but were added
    # to it after it, so Qualtrics numbers them Q6-Q8 (export tags keep creation order).
    advice_number = sheet.question + 1
    sheet.question = advice_number
    for part in VALUE_ITEMS:
        sheet.next_question()
        columns[part] = {m.id: sheet.add(f"_{i}", f"{RELATIONSHIP_TEXT[part]} - {m.name}")
                         for i, m in enumerate(order, start=1)}
    sheet.question = advice_number
    advice = [sheet.add(f"_{i}", f"{ADVICE_TEXT} - Person {i}") for i in range(1, 6)]

    times = field_times(wave.key, len(answers) + 1, sheet.rng, (9, 30))
    preview_start, preview_end = times.pop(0)
    by_name = {m.name: m for m in wave.members}
    tester = {columns["collaborate"][by_name["Dana Whitaker"].id]: "Weekly",
              columns["collaborate"][by_name["Linda Hoffman"].id]: "Weekly",
              advice[0]: "test"}
    sheet.row(preview_start, preview_end, "", tester, preview=True)
    partial = sheet.rng.randrange(len(answers))
    order_of_answers = list(answers)
    sheet.rng.shuffle(order_of_answers)
    for index, (answer, (start, end)) in enumerate(zip(order_of_answers, times, strict=True)):
        cells = {}
        for vid, level in answer.frequency.items():
            cells[columns["collaborate"][vid]] = label(FREQUENCY, level, start=0)
        stopped = index == partial
        if not stopped:
            for item in TRUST_ITEMS:
                for vid, level in answer.trust[item].items():
                    cells[columns[item][vid]] = label(TRUST, level, start=1)
            for item in VALUE_ITEMS:
                for vid, level in answer.value[item].items():
                    cells[columns[item][vid]] = label(AMOUNT, level, start=1)
            for column, name in zip(advice, answer.advice, strict=False):
                cells[column] = name
        sheet.row(start, end, answer.respondent.id, cells, progress=34 if stopped else 100)
    return sheet.to_bytes()


def qualtrics_decision(wave: Wave, answers: list[DecisionAnswer]) -> bytes:
    sheet = QualtricsSheet("decision", wave.key)
    order = matrix_member_order(wave)
    columns = {}
    for d in DECISIONS[wave.key]:
        sheet.next_question()
        involved = sheet.add("", d.involved)
        sheet.next_question()
        shaped = {m.id: sheet.add(f"_{i}", f"{d.shaped_by} - {m.name}")
                  for i, m in enumerate(order, start=1)}
        sheet.next_question()
        voice = sheet.add("", d.voice)
        columns[d.key] = (involved, shaped, voice)
    sheet.next_question()
    influence = {m.id: sheet.add(f"_{i}", f"{INFLUENCE_QUESTION} - {m.name}")
                 for i, m in enumerate(order, start=1)}

    times = field_times(wave.key, len(answers), sheet.rng, (4, 15))
    shuffled = list(answers)
    sheet.rng.shuffle(shuffled)
    for answer, (start, end) in zip(shuffled, times, strict=True):
        cells = {}
        for d in DECISIONS[wave.key]:
            involved, shaped, voice = columns[d.key]
            cells[involved] = answer.involved[d.key]
            for v in answer.shaped_by[d.key]:
                cells[shaped[v.id]] = "1"
            cells[voice] = label(AGREE, answer.voice[d.key], start=1)
        for v in answer.influence:
            cells[influence[v.id]] = "1"
        sheet.row(start, end, answer.respondent.id, cells)
    return sheet.to_bytes()


def qualtrics_pulse(wave: Wave, answers: list[tuple[Member, dict]]) -> bytes:
    sheet = QualtricsSheet("pulse", wave.key)
    sheet.next_question()
    columns = {key: sheet.add(f"_{i}", f"{PULSE_QUESTION} - {text}")
               for i, (key, text, _) in enumerate(PULSE_ITEMS, start=1)}
    times = field_times(wave.key, len(answers), sheet.rng, (2, 8))
    shuffled = list(answers)
    sheet.rng.shuffle(shuffled)
    for (member, values), (start, end) in zip(shuffled, times, strict=True):
        cells = {columns[k]: label(AGREE, v, start=1) for k, v in values.items()}
        sheet.row(start, end, member.id, cells)
    return sheet.to_bytes()


# ---------------------------------------------------------------------------------------
# Writing: Google Forms (2025)
# ---------------------------------------------------------------------------------------
GOOGLE_ADVICE = "Person you go to for advice #{}"


def google_stamp(moment: dt.datetime) -> str:
    """Google Forms style: ``2025/03/14 10:22:31 AM CDT`` (Central time, DST from 9 March)."""
    zone = "CDT" if moment >= dt.datetime(moment.year, 3, 9, 2) else "CST"
    return moment.strftime("%Y/%m/%d %I:%M:%S %p ") + zone


def google_rows(header: list[str], answers: list[tuple[dict[int, str], str]], wave: Wave,
                survey: str, minutes: tuple[int, int]) -> bytes:
    """Rows in submission order; ``answers`` holds (cells by column index, name)."""
    rng = stream("google", survey, wave.key)
    shuffled = list(answers)
    rng.shuffle(shuffled)
    times = field_times(wave.key, len(shuffled), rng, minutes)
    rows = [header]
    for (cells, name), (_, end) in zip(shuffled, times, strict=True):
        row = [google_stamp(end), name] + [""] * (len(header) - 2)
        for index, value in cells.items():
            row[index] = value
        rows.append(row)
    return csv_bytes(rows, crlf=True)


def google_relationship(wave: Wave, answers: list[RelationshipAnswer]) -> bytes:
    order = matrix_member_order(wave)
    header = ["Timestamp", "Your name"]
    columns: dict[str, dict[str, int]] = {}
    for part in ("collaborate", *TRUST_ITEMS, *VALUE_ITEMS):
        columns[part] = {}
        for m in order:
            columns[part][m.id] = len(header)
            header.append(f"{RELATIONSHIP_TEXT[part]} [{m.name}]")
    advice = list(range(len(header), len(header) + 5))
    header += [GOOGLE_ADVICE.format(i) for i in range(1, 6)]

    def cells_of(answer: RelationshipAnswer) -> dict[int, str]:
        cells = {columns["collaborate"][vid]: label(FREQUENCY, level, start=0)
                 for vid, level in answer.frequency.items()}
        for item in TRUST_ITEMS:
            for vid, level in answer.trust[item].items():
                cells[columns[item][vid]] = label(TRUST, level, start=1)
        for item in VALUE_ITEMS:
            for vid, level in answer.value[item].items():
                cells[columns[item][vid]] = label(AMOUNT, level, start=1)
        for column, name in zip(advice, answer.advice, strict=False):
            cells[column] = name
        return cells

    rows = [(cells_of(a), a.respondent.name) for a in answers]
    body = google_rows(header, rows, wave, "relationship", (9, 30))
    if wave.key == DUPLICATE[0]:
        body = add_duplicate(body, wave, answers, cells_of, len(header))
    return body


def add_duplicate(body: bytes, wave: Wave, answers: list[RelationshipAnswer], cells_of,
                  width: int) -> bytes:
    """Insert an earlier submission by the duplicate member (the form was sent twice).

    The first submission, sent the same day, left out the advice names and two answers
    differ; the later, complete one comes after it in the file and is the one kept.
    """
    rng = stream("duplicate", wave.key)
    answer = next(a for a in answers if a.respondent.name == DUPLICATE[1])
    cells = cells_of(answer)
    keys = sorted(k for k in cells if cells[k] in FREQUENCY[1:])
    for key in rng.sample(keys, 2):
        cells[key] = FREQUENCY[max(1, FREQUENCY.index(cells[key]) - 1)]
    for key in range(width - 5, width):
        cells.pop(key, None)
    records = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    later = next(i for i, r in enumerate(records) if i and r[1] == DUPLICATE[1])
    sent = dt.datetime.strptime(records[later][0][:-4], "%Y/%m/%d %I:%M:%S %p")
    earlier = sent - dt.timedelta(minutes=rng.randrange(20, 90))
    if earlier.date() != sent.date():
        earlier = sent - dt.timedelta(minutes=3)
    row = [google_stamp(earlier), DUPLICATE[1]] + [""] * (width - 2)
    for index, value in cells.items():
        row[index] = value
    # the earlier submission goes in timestamp order, before the later one
    position = next(i for i, r in enumerate(records) if i and
                    dt.datetime.strptime(r[0][:-4], "%Y/%m/%d %I:%M:%S %p") > earlier)
    records.insert(position, row)
    return csv_bytes(records, crlf=True)


def google_decision(wave: Wave, answers: list[DecisionAnswer]) -> bytes:
    order = matrix_member_order(wave)
    header = ["Timestamp", "Your name"]
    columns = {}
    for d in DECISIONS[wave.key]:
        columns[d.key] = (len(header), len(header) + 1, len(header) + 2)
        header += [d.involved, d.shaped_by, d.voice]
    influence = len(header)
    header.append(INFLUENCE_QUESTION)
    rank = {m.id: i for i, m in enumerate(order)}

    def joined(people: list[Member]) -> str:  # checkboxes in the form's option order
        return ", ".join(m.name for m in sorted(people, key=lambda m: rank[m.id]))

    rows = []
    for answer in answers:
        cells = {}
        for d in DECISIONS[wave.key]:
            involved, shaped, voice = columns[d.key]
            cells[involved] = answer.involved[d.key]
            cells[shaped] = joined(answer.shaped_by[d.key])
            value = answer.voice[d.key]
            cells[voice] = "" if value is None else str(value)  # linear scale 1..5
        cells[influence] = joined(answer.influence)
        rows.append((cells, answer.respondent.name))
    return google_rows(header, rows, wave, "decision", (4, 15))


def google_pulse(wave: Wave, answers: list[tuple[Member, dict]]) -> bytes:
    header = ["Timestamp", "Your name"]
    header += [f"{PULSE_QUESTION} [{text}]" for _, text, _ in PULSE_ITEMS]
    rows = []
    for member, values in answers:
        cells = {i: label(AGREE, values[key], start=1)
                 for i, (key, _, _) in enumerate(PULSE_ITEMS, start=2)}
        rows.append((cells, member.name))
    return google_rows(header, rows, wave, "pulse", (2, 8))


# ---------------------------------------------------------------------------------------
# Writing: roster and configuration
# ---------------------------------------------------------------------------------------
def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def roster_bytes(members: list[Member]) -> bytes:
    rows = [["member_id", "name", "organisation", "sector", "role", "lived_experience",
             "grassroots", "consent_to_name", "waves"]]
    for m in members:
        p = m.person
        rows.append([m.id, p.name, p.organisation, p.silo, p.role, yes_no(p.lived_experience),
                     yes_no(p.grassroots), yes_no(p.consent), "|".join(p.waves)])
    return csv_bytes(rows)


def toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


CONFIG_HEAD = '''\
# cpower.toml for the Riverbend Child Care Coalition example study.
#
# Written by examples/childcare_coalition/generate.py: edit the generator, not this file,
# and run it again. Paths are relative to this folder. Check the study with:
#
#     cpower validate .
#
# The coalition surveyed its members twice: in 2024 with Qualtrics, in 2025 with Google
# Forms. The two waves read the same questions from differently shaped exports, which is
# why the [[...questions]] tables of the two waves differ.

[study]
name = "Riverbend Child Care Coalition"
seed = 20240304                 # same data + same seed = the same report, byte for byte

# ---------------------------------------------------------------------------------------
# The roster: one row per member who belonged in either wave.
[roster]
file = "roster.csv"
id = "member_id"                # stable ids: m001-m070 founding members, m071+ joined in 2025
name = "name"                   # the names shown in the surveys' member lists
silo = "sector"                 # six silos, see the README
organisation = "organisation"   # blank for parents who take part as individuals
role = "role"                   # Co-chair, Steering committee or Member
leadership_roles = ["Co-chair", "Steering committee"]
consent = "consent_to_name"     # five members asked not to be named on shared maps
waves = "waves"                 # "2024|2025", "2024" (left) or "2025" (joined)

# The groups the coalition wants power to shift towards (yes/no roster columns).
[focus_groups]
lived_experience = { column = "lived_experience", label = "Lived experience" }
grassroots = { column = "grassroots", label = "Grassroots" }

# Other spellings of members' names that people typed in the free-text advice question.
# (Lower case, extra spaces and missing accents, e.g. "Jose Martinez" for "José Martínez",
# are matched without an alias.)
[aliases]
'''

CONFIG_SCALES = '''
# ---------------------------------------------------------------------------------------
# Answer scales: the labels the surveys showed, mapped to numbers. Google Forms' linear
# scale for "my input shaped the outcome" exports the numbers 1-5, which match too.
[scales]
frequency = { "Never" = 0, "A few times a year" = 1, "Monthly" = 2, "Weekly" = 3 }
trust = { "Not at all" = 1, "A little" = 2, "Somewhat" = 3, "A lot" = 4 }
amount = { "Not at all" = 1, "A small amount" = 2, "A fair amount" = 3, "A great deal" = 4 }
agree = { "Strongly disagree" = 1, "Disagree" = 2, "Neither agree nor disagree" = 3, \
"Agree" = 4, "Strongly agree" = 5 }

# The kinds of tie the surveys asked about.
[relations.collaborate]
label = "Work together"
scale = "frequency"
symmetric = true                # working together is mutual by nature, but
direction = "directed"          # each member's own answer is kept ("undirected" would
                                # combine the two answers about a pair into one tie)
role = "collaboration"          # the evidence indicators read it for
strong = 2                      # monthly or more counts as a strong tie

[relations.trust]
label = "Trust"
scale = "trust"
combine = "mean"                # the three trust questions are averaged per pair
role = "trust"
strong = 3

[relations.advice]
label = "Go to for advice"
scale = "tie"                   # any mention is a tie
role = "advice"

[relations.influence]
label = "Opinion carries weight"
scale = "tie"
role = "influence"

[relations.value]
label = "Value to the coalition"
scale = "amount"
combine = "mean"                # influence, taking part, resources: averaged per pair
role = "value"

# ---------------------------------------------------------------------------------------
# Analysis settings (the defaults, written out so the example documents them).
[analysis]
nonrespondents = "respondents"  # ties are what respondents reported
# permutations: unset = 1,000 draws per test, and more for a test at p ≤ 0.05 (q-values)
duplicates = "keep_last"        # Tamika Johnson sent the 2025 relationship form twice
'''


def config_text(members: list[Member]) -> str:
    lines = [CONFIG_HEAD]
    for m in members:
        for nickname in m.person.nicknames:
            lines.append(f"{toml_string(nickname)} = {toml_string(m.id)}"
                         f"{' ' * max(1, 24 - len(nickname) - len(m.id))}# {m.name}\n")
    lines.append(CONFIG_SCALES)
    lines.append(qualtrics_config())
    lines.append(google_config())
    return "".join(lines)


def q(key: str, value: str) -> str:
    return f"{key} = {toml_string(value)}\n"


def qualtrics_config() -> str:
    w = "2024"
    out = [f'''
# ---------------------------------------------------------------------------------------
# Wave 2024: Qualtrics exports. Each file has three header rows: column ids (Q1_1…),
# question texts ("How often do you work with each of these members? - Mai Vang") and
# JSON ImportId cells. A column reference is matched against the ids first, then against
# the question texts, so the patterns below use the readable texts. Members received
# personal links, so ExternalReference holds their member id. The "Survey Preview" row
# (the coordinator testing the survey) is set aside.
[waves.{w}]
label = "2024 (Qualtrics)"

[[waves.{w}.surveys]]
file = "{w}/relationship_survey.csv"
platform = "qualtrics"
respondent = "ExternalReference"
timestamp = "RecordedDate"      # orders duplicate responses (keep_last keeps the latest)

# Roster matrices: one column per member; {{member}} marks where the name sits.
[[waves.{w}.surveys.questions]]
shape = "matrix"
relation = "collaborate"
''', q("columns", RELATIONSHIP_TEXT["collaborate"] + " - {member}")]
    for item in TRUST_ITEMS:
        out.append(f'''
[[waves.{w}.surveys.questions]]
shape = "matrix"
relation = "trust"              # asked only about members the respondent works with
''')
        out += [q("facet", FACETS[item]), q("columns", RELATIONSHIP_TEXT[item] + " - {member}")]
    for number, item in enumerate(VALUE_ITEMS):
        note = ("\n# Value grids (ids Q6-Q8, asked before the advice question): also only "
                "about members\n# the respondent works with.") if number == 0 else ""
        out.append(f'''{note}
[[waves.{w}.surveys.questions]]
shape = "matrix"
relation = "value"
''')
        out += [q("facet", FACETS[item]), q("columns", RELATIONSHIP_TEXT[item] + " - {member}")]
    out.append(f'''
# Free recall: up to five typed names, matched to the roster (ids Q5_1…Q5_5).
[[waves.{w}.surveys.questions]]
shape = "name_generator"
relation = "advice"
columns = ["Q5_1", "Q5_2", "Q5_3", "Q5_4", "Q5_5"]

[[waves.{w}.surveys]]
file = "{w}/decision_survey.csv"
platform = "qualtrics"
respondent = "ExternalReference"
timestamp = "RecordedDate"
''')
    for number, d in enumerate(DECISIONS[w]):
        note = ("\n# One table per decision: were you involved (Yes/No), whose input shaped "
                "it (a multi-select\n# with one column per member holding \"1\" when ticked) "
                "and \"my input shaped the\n# outcome\" (agree labels; blank for members "
                "who were not involved).") if number == 0 else ""
        out.append(f'''{note}
[[waves.{w}.surveys.questions]]
shape = "decision"
''')
        out += [q("decision", d.key), q("label", d.label), q("involved", d.involved),
                q("columns", d.shaped_by + " - {member}"), q("voice", d.voice),
                'scale = "agree"\n']
    out.append(f'''
# "In general, whose opinion carries the most weight?": the same one-column-per-member
# multi-select. One respondent ticked her own name: reported and set aside.
[[waves.{w}.surveys.questions]]
shape = "multi_select"
relation = "influence"
''')
    out.append(q("columns", INFLUENCE_QUESTION + " - {member}"))
    out.append(pulse_config(w, "qualtrics", "ExternalReference", "RecordedDate",
                            lambda text: f"{PULSE_QUESTION} - {text}"))
    return "".join(out)


def google_config() -> str:
    w = "2025"
    out = [f'''
# ---------------------------------------------------------------------------------------
# Wave 2025: Google Forms exports. One header row starting with Timestamp; members chose
# their name from a list ("Your name"); grid questions are exported as one column per
# row, "Question [Member Name]"; checkbox answers are joined with ", " in one cell, and
# cpower splits them by matching roster names, so "Robert Lee, Jr." stays one person.
[waves.{w}]
label = "2025 (Google Forms)"

[[waves.{w}.surveys]]
file = "{w}/relationship_survey.csv"
platform = "google_forms"
respondent = "Your name"        # chosen from a drop-down list of members' names
timestamp = "Timestamp"         # orders duplicate responses (keep_last keeps the latest)

# Grids: one column per member, the member's name in square brackets.
[[waves.{w}.surveys.questions]]
shape = "matrix"
relation = "collaborate"
''', q("columns", RELATIONSHIP_TEXT["collaborate"] + " [{member}]")]
    for item in (*TRUST_ITEMS, *VALUE_ITEMS):
        relation = "trust" if item in TRUST_ITEMS else "value"
        out.append(f'''
[[waves.{w}.surveys.questions]]
shape = "matrix"
relation = "{relation}"
''')
        out += [q("facet", FACETS[item]), q("columns", RELATIONSHIP_TEXT[item] + " [{member}]")]
    names = ", ".join(toml_string(GOOGLE_ADVICE.format(i)) for i in range(1, 6))
    out.append(f'''
# Five short-answer questions, one typed name each.
[[waves.{w}.surveys.questions]]
shape = "name_generator"
relation = "advice"
columns = [{names}]

[[waves.{w}.surveys]]
file = "{w}/decision_survey.csv"
platform = "google_forms"
respondent = "Your name"
timestamp = "Timestamp"
''')
    for number, d in enumerate(DECISIONS[w]):
        note = ("\n# \"Whose input shaped it\" was a checkbox question: the ticked names in one "
                "cell,\n# joined with \", \". \"My input shaped the outcome\" was a linear "
                "scale exported as 1-5.") if number == 0 else ""
        out.append(f'''{note}
[[waves.{w}.surveys.questions]]
shape = "decision"
''')
        out += [q("decision", d.key), q("label", d.label), q("involved", d.involved),
                q("column", d.shaped_by), 'separator = ", "\n', q("voice", d.voice),
                'scale = "agree"\n']
    out.append(f'''
[[waves.{w}.surveys.questions]]
shape = "multi_select"
relation = "influence"
''')
    out += [q("column", INFLUENCE_QUESTION), 'separator = ", "\n']
    out.append(pulse_config(w, "google_forms", "Your name", "Timestamp",
                            lambda text: f"{PULSE_QUESTION} [{text}]"))
    return "".join(out)


def pulse_config(w: str, platform: str, respondent: str, timestamp: str, column) -> str:
    out = [f'''
[[waves.{w}.surveys]]
file = "{w}/pulse_survey.csv"
platform = "{platform}"
respondent = "{respondent}"
timestamp = "{timestamp}"

# Pulse items: the twelve perception items cpower knows (see its README), each mapped
# to the column that holds it.
[[waves.{w}.surveys.questions]]
shape = "perceptions"
scale = "agree"

[waves.{w}.surveys.questions.items]
''']
    for key, text, _ in PULSE_ITEMS:
        out.append(q(key, column(text)))
    return "".join(out)


# ---------------------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------------------
def build_study() -> dict[str, bytes]:
    """Every file of the study, by its path relative to the study folder."""
    members = build_members()
    waves = build_waves(members)
    draw_response(waves)
    files = {"cpower.toml": config_text(members).encode("utf-8"),
             "roster.csv": roster_bytes(members)}
    writers = {
        "2024": (qualtrics_relationship, qualtrics_decision, qualtrics_pulse),
        "2025": (google_relationship, google_decision, google_pulse),
    }
    for key, wave in waves.items():
        relationship, decision, pulse = writers[key]
        files[f"{key}/relationship_survey.csv"] = relationship(wave, relationship_answers(wave))
        files[f"{key}/decision_survey.csv"] = decision(wave, decision_answers(wave))
        files[f"{key}/pulse_survey.csv"] = pulse(wave, pulse_answers(wave))
    return files


def write_study(files: dict[str, bytes], folder: Path) -> None:
    for relative, data in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="study folder to write (default: study/ next to this script)")
    parser.add_argument("--package-dir", default=str(DEFAULT_PACKAGE_DIR),
                        help="also write the identical study here (default: the package's "
                             "cpower_network/data/example); '' to skip")
    args = parser.parse_args(argv)
    files = build_study()
    targets = [args.out] + ([Path(args.package_dir)] if args.package_dir else [])
    for target in targets:
        write_study(files, target)
        print(f"wrote {len(files)} files to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
