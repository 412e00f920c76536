"""The one schema of ``cpower.toml``: every section and key, its type, default, example
and meaning.

The readers in :mod:`cpower_network.config` (:mod:`~cpower_network.config.study`,
:mod:`~cpower_network.config.roster`, :mod:`~cpower_network.config.relations`,
:mod:`~cpower_network.config.surveys`), :mod:`cpower_network.config.settings`,
:mod:`cpower_network.config.scales` and :mod:`cpower_network.config.indicators` take the keys
they allow from here, so a key cannot be read without being documented. The reference
is shown by ``cpower config [SECTION]`` and written to ``docs/configuration.md`` with
``cpower config --markdown > docs/configuration.md``. Its keys and sections are written
with :mod:`cpower_network.config.reference_model`.

>>> keys("focus_groups")
('column', 'label', 'values', 'at_most', 'at_least')
>>> question_keys("perceptions")
('items', 'scale')
"""

from __future__ import annotations

import textwrap

from .evidence_items import ITEM_KEYS
from .perception_items import DEFAULT_ITEMS
from .reference_model import Key, Section, _choice, _member_columns, _relation, _shape, _text

_LIST = "a list of texts"
_NON_MEMBERS = Key("non_members", _LIST, '["Not in the coalition"]',
                   "Answers to this question that are not members, added to "
                   "[study] non_members.", default=())
_HEADER = _choice("header", ("auto", "id", "text"), '"text"',
                  "Which header row the pattern is matched against: id (the first row), "
                  "text (the question-text row) or auto (ids first, then texts).",
                  default="auto")
_SEPARATOR = _text("separator", '";"', 'What joins the names in one cell: by default ","'
                   ' for Qualtrics and SurveyMonkey, ", " for Google Forms, " " for '
                   'KoboToolbox, ";" otherwise.', note="the platform's")
_FACET = _choice("facet", ("reliability", "openness", "mission", "power", "involvement",
                           "resources"), '"reliability"',
                 "The trust or value facet this rating question measures (trust: "
                 "reliability, openness, mission; value: power, involvement, resources). "
                 "Rated questions with facets give each pair, member, silo and the network "
                 "a trust and a value score (docs/methods.md). The relation needs an answer "
                 "scale.")
_WEIGHT = Key("value", "a number", "2", "The tie weight each member named gives: above 0 "
              "(a weight of 0 is no tie) and at most 1,000,000.", default=1.0)


SECTIONS: tuple[Section, ...] = (
    Section("study", "[study]", "The study as a whole.", (
        _text("name", '"Riverbend Child Care Coalition"', "Shown in report titles.",
              note="the folder's name"),
        Key("seed", "a whole number", "1", "Seed for permutations, communities and "
            "layouts (0 or more): the same data and seed give the same report, byte for "
            "byte.",
            default=0),
        Key("non_members", _LIST, '["Not in the coalition"]', "Answers that are not "
            "members, set aside and counted (\"Someone else (please specify)\", \"No one "
            "in particular\", \"Don't know\" and their usual variants are known already).",
            default=()),
    ), example='[study]\nname = "Riverbend Child Care Coalition"\nseed = 1'),
    Section("roster", "[roster]", "The member roster: one row per member. Only file is "
            "required; the other keys name its columns.", (
        _text("file", '"roster.csv"', "The roster file (CSV or XLSX), relative to the "
              "study folder; it must lie inside the folder (unless "
              "--allow-outside-files).", required=True),
        _text("sheet", '"Members"', "The XLSX sheet to read.", note="the first sheet"),
        _text("id", '"member_id"', "Column with a stable id per member (never reuse one).",
              default="member_id"),
        _text("name", '"name"', "Column with the name people use in surveys.",
              default="name"),
        _text("silo", '"sector"', "Column whose values are the coalition's silos: names "
              "or numeric codes, one per member (a cell naming several, joined by |, is "
              "an error; a ; is a warning).", default="silo"),
        _text("organisation", '"organisation"', "Column with each member's organisation."),
        _text("role", '"role"', "Column with each member's formal role.",
              note="leadership's column when it lists values"),
        Key("leadership_roles", _LIST, '["Co-chair", "Steering committee"]',
            "Values of the role column that count as leadership (any case; a cell may "
            "hold several, joined by | or ;). The same as leadership = { column = role, "
            "values = [...] }.", default=()),
        Key("leadership", "a table: column, then values, at_most or at_least",
            '{ column = "role", values = ["Co-chair", "Steering committee"] }',
            "Who holds a leadership role, read like [focus_groups.<key>]: a column and a "
            "list of values, a number at_most/at_least, or neither for a yes/no column "
            "(or just its name: leadership = \"is_leader\"). Instead of leadership_roles.",
            note="role + leadership_roles"),
        _text("consent", '"consent_to_name"', "Yes/no column: may this member be named "
              "on shared maps? Without it, no member is named."),
        _text("waves", '"waves"', "Column with the waves each member belongs to, e.g. "
              "2024|2025 (| ; or , between them); blank means every wave.",
              note="every member in every wave"),
        _text("aliases", '"aliases.csv"', "A CSV file with columns alias,member_id: other "
              "spellings of members' names (inside the study folder)."),
    ), example='[roster]\nfile = "roster.csv"\nsilo = "sector"\nrole = "role"\n'
               'leadership = { column = "role", values = ["Co-chair", "Steering committee"] }'),
    Section("focus_groups", "[focus_groups.<key>]", "A group the coalition wants power to "
            "shift towards, marked by a roster column: yes/no (the default), a list of "
            "values, or a number at most or at least a threshold. Short form: the key = "
            'its yes/no column, e.g. grassroots = "grassroots". A blank cell means not '
            "known (prefer not to say): the member counts as not in the group, and exports "
            "keep the cell blank. A cell that fits no rule (maybe in a yes/no column, text "
            "in a numeric one) is an error naming its row; the member stays, outside the "
            "group.", (
        _text("column", '"lived_experience"', "The roster column marking the group's "
              "members.", note="the key"),
        _text("label", '"Lived experience"', "Shown in reports.",
              note="the key, capitalised"),
        Key("values", _LIST, '["partner", "core partner"]', "Members whose cell holds one "
            "of these values are in the group (any case and spacing; a cell may hold "
            "several, joined by | or ;). Other values are not in the group; they are "
            "listed once in a warning, so a typo shows.", note="a yes/no column"),
        Key("at_most", "a number", "2", "Members whose cell is a number at most this are "
            "in the group; every other cell must be a number or blank."),
        Key("at_least", "a number", "3", "Members whose cell is a number at least this "
            "are in the group (with at_most: between the two)."),
    ), example='[focus_groups]\nlived_experience = { column = "lived_experience", '
               'label = "Lived experience" }\ngrassroots = "grassroots"\n'
               'partners = { column = "status", values = ["partner", "core partner"] }\n'
               'low_income = { column = "income_level", at_most = 2, '
               'label = "Low income" }'),
    Section("scales", "[scales]", "Answer scales: the labels a survey shows, mapped to "
            "numbers. A cell may hold a label (any case) or a declared code. The built-in "
            "scales tie (any mention is a tie of 1) and yesno take codes only.", (
        Key("labels", "a table of label = number", '{ "Never" = 0, "Monthly" = 1, '
            '"Weekly" = 2 }', "The labels as the survey shows them, with their numbers "
            "(from -1,000,000 to 1,000,000; a relation's scale from 0 up, since an answer "
            "of 0 or less is no tie).",
            note="required in this form (not for tie and yesno)"),
        Key("codes", "a table of code = label", '{ 1 = "Never", 2 = "Monthly", '
            '3 = "Weekly" }', "Codes an export writes instead of labels (a numeric "
            "download), each mapped to one of the labels.", default={}),
    ), entries='<name> = { "Label" = number, … }, or <name> = { labels = { … }, '
               'codes = { … } } to declare codes too',
        example='[scales]\nfrequency = { labels = { "Never" = 0, "Monthly" = 1, '
                '"Weekly" = 2 }, codes = { 1 = "Never", 2 = "Monthly", 3 = "Weekly" } }\n'
                'agree = { "Disagree" = 1, "Neutral" = 2, "Agree" = 3 }\n'
                'yesno = { codes = { 1 = "yes", 2 = "no" } }'),
    Section("relations", "[relations.<key>]", "A kind of tie the surveys ask about "
            "(collaborate, trust, advice…); the key names it everywhere. At least one.", (
        _text("label", '"Work together"', "Shown in reports.", note="the key, capitalised"),
        _text("scale", '"frequency"', 'The answer scale, from [scales]; "tie": any '
              "mention is a tie of 1.", default="tie"),
        Key("symmetric", "true or false", "true", "Mutual by nature (know, "
            'collaborate). Alone it means direction = "undirected"; with direction = '
            '"directed" each member\'s own report stays an arc and [analysis] '
            'nonrespondents = "union" rebuilds a non-respondent\'s arcs from what others '
            "reported.", default=False),
        _choice("direction", ("directed", "undirected"), '"undirected"', "directed: a tie "
                "is one member's report (who named whom); undirected: the two members' "
                "reports about a pair make one tie (see reciprocity), and every measure, "
                "map and export reads the relation as undirected (density over pairs, "
                "degree = contacts; reciprocity and brokerage roles are not measured).",
                note='"undirected" when symmetric = true, else "directed"'),
        _choice("reciprocity", ("either", "both", "mean"), '"both"', "How an undirected "
                "relation combines the two reports about a pair: either (a tie when "
                "either member reported it; weight the larger report), both (when both "
                "did; the smaller) or mean (the mean of the two, a report not made "
                "counting 0). When one member could not report (did not answer, or was "
                "not asked about the other), the one report that exists is used.",
                default="either"),
        _choice("role", ("collaboration", "trust", "advice", "influence", "resources",
                         "knows", "value"), '"collaboration"', "The evidence the relation "
                "is for: indicators find their evidence by role, not by the relation's "
                "name; only collaboration, knows, advice and trust ties count as being in "
                "touch in the weaver's worklist. "
                "When several relations share a role, the first (in this file) with "
                "answers in the wave is used.",
                note="from the key when it is collaborate, know, trust, advice, "
                     "influence, resources or value (flagged as inferred in the report), "
                     "unless another relation declares that role; otherwise none"),
        _choice("combine", ("mean", "max", "sum"), '"max"', "How several answers about "
                "one pair (several trust questions, several decisions) become one tie "
                "weight.", default="mean"),
        Key("strong", "a number", "2", "Value at or above which a tie counts as strong: "
            "above 0, and at most the scale's highest value (unless combine = \"sum\").",
            note="the scale's upper half"),
    ), example='[relations.collaborate]\nlabel = "Work together"\nscale = "frequency"\n'
               'direction = "undirected"\nreciprocity = "either"\nrole = "collaboration"\n'
               'strong = 1\n\n[relations.advice]\nscale = "tie"\nrole = "advice"\n\n'
               '[relations.influence]\nrole = "influence"\n\n[relations.trust]\n'
               'scale = "agree"\nrole = "trust"\n\n[relations.funding]\n'
               'label = "Share funding"\nrole = "resources"'),
    Section("items", "[items.<key>]", "A perception item of the study's own, for "
            "perceptions questions to name beside the built-in ones.", (
        _text("text", '"I know whom to ask for help"', "The statement as the survey "
              "shows it.", note="the key"),
        _choice("milestone", ("setting_the_table", "safety_trust", "cohesion", "financing",
                              "lived_experience"), '"cohesion"',
                "The milestone the item is evidence for."),
    ), example='[items.know_whom_to_ask]\ntext = "I know whom to ask for help"\n'
               'milestone = "cohesion"'),
    Section("waves", "[waves.<key>]", "One round of surveys, in time order; the key "
            "(e.g. 2024) names the wave in the roster's waves column and in --wave.", (
        _text("label", '"Spring 2024"', "Shown in reports.", note="the key"),
        Key("surveys", "a list of tables", "", "The wave's survey files.", required=True,
            tables="[[waves.<key>.surveys]]"),
    ), example='[waves.wave1]\nlabel = "Spring 2024"'),
    Section("surveys", "[[waves.<key>.surveys]]", "One survey export of a wave and the "
            "questions to read from it.", (
        _text("file", '"wave1/survey.csv"', "The export (CSV or XLSX), relative to the "
              "study folder; it must lie inside the folder (unless "
              "--allow-outside-files).", required=True),
        _choice("platform", ("auto", "plain", "qualtrics", "surveymonkey", "google_forms",
                             "kobotoolbox"), '"qualtrics"', "Where the export comes from: "
                "sets its header rows and how names are joined (auto: detected).",
                default="auto"),
        _text("respondent", '"member_id"', "The column that says who answered (a "
              "member's id, name or alias).", required=True),
        _text("sheet", '"Responses"', "The XLSX sheet to read.", note="the first sheet"),
        _text("timestamp", '"EndDate"', "Column with when each response was submitted: "
              "orders a member's repeated responses for [analysis] duplicates.",
              note="row order"),
        Key("header_rows", "a whole number", "1", "How many header rows come before the "
            "answers (1 to 100).", note="from the platform"),
        Key("questions", "a list of tables", "", "The questions to read, each with its "
            "shape.", required=True, tables="[[waves.<key>.surveys.questions]]"),
    ), example='[[waves.wave1.surveys]]\nfile = "wave1/survey.csv"\n'
               'respondent = "member_id"'),
    _shape("long", "One row per answer: who answered, about whom, and the answer.", (
        _relation("The relation every row is about, from [relations].",
                  note="required without relation_column"),
        _text("relation_column", '"relation"', "Column naming each row's relation (a key "
              "or label from [relations]), instead of one relation."),
        _text("alter", '"partner"', "Column with the member the row is about (id, name "
              "or alias).", required=True),
        _text("value", '"how_often"', "Column with the answer, read on the relation's "
              "scale.", note="each row is a tie of 1"),
        _FACET, _NON_MEMBERS,
    ), 'relation = "collaborate"\nalter = "partner"\nvalue = "how_often"'),
    _shape("matrix", "A grid: one column per member.", (
        _relation("The relation the grid asks about, from [relations]."),
        _text("columns", '"collaborate_{member}"', "Header pattern of the grid's columns, "
              "{member} where the member's id, name or alias appears.", required=True),
        _HEADER, _FACET, _NON_MEMBERS,
    ), 'relation = "collaborate"\ncolumns = "collaborate_{member}"'),
    _shape("name_generator", "Free-text names, one per column, matched to the roster.", (
        _relation("The relation the names are about, from [relations].", '"advice"'),
        Key("columns", _LIST, '["advice_1", "advice_2"]', "The name columns.",
            required=True),
        _WEIGHT, _NON_MEMBERS,
        Key("write_in", "true or false", "true", 'The columns hold "someone else, please '
            'specify" text: a name that is no member is set aside with a warning, not an '
            "error.", note="detected from the header (Q3_6_TEXT, …_other)"),
    ), 'relation = "advice"\ncolumns = ["advice_1", "advice_2"]'),
    _shape("multi_select", "Several members ticked in one question.", (
        _relation("The relation the choices are about, from [relations].", '"influence"'),
        *_member_columns("every member chosen", '"chosen"', '"weight_{member}"'),
        _SEPARATOR, _HEADER, _WEIGHT, _NON_MEMBERS,
        Key("write_in", "true or false", "true", "The one cell may hold typed \"other\" "
            "text (Google Forms' Other option): a name that is no member is set aside with "
            "a warning, not an error.", note="false"),
    ), 'relation = "influence"\ncolumn = "chosen"\nseparator = ";"'),
    _shape("perceptions", "Likert perception items, one column each.", (
        Key("items", "a table of item = column", '{ take_part = "q1", role_clear = "q2" }',
            "Which column holds each perception item (from [items] or the built-in ones).",
            required=True),
        _text("scale", '"agree"', "The answer scale, from [scales].", required=True),
    ), 'scale = "agree"\nitems = { take_part = "q1", know_whom_to_ask = "q2" }'),
    _shape("decision", "One decision: was the respondent involved, whose input shaped "
           "it, and did their own input shape the outcome.", (
        _text("decision", '"budget_2025"', "A short id for the decision.", required=True),
        _text("label", '"The 2025 budget"', "Shown in reports.", note="the id"),
        _text("involved", '"involved"', "Yes/no column: was the respondent involved?"),
        *_member_columns("every member whose input shaped it", '"shaped_by"',
                         '"shaped_{member}"'),
        _SEPARATOR, _HEADER,
        _text("voice", '"my_input"', 'Column: "my input shaped the outcome", read on '
              "scale."),
        _text("scale", '"agree"', "The scale of the voice column.", default="yesno"),
        _NON_MEMBERS,
    ), 'decision = "budget_2025"\nlabel = "The 2025 budget"\ninvolved = "involved"\n'
       'column = "shaped_by"\nvoice = "my_input"\nscale = "agree"'),
    Section("aliases", "[aliases]", "Other spellings of members' names that people used "
            "in surveys (or list them in the file named by [roster] aliases).",
            entries='"<spelling>" = "<member id>"', example='[aliases]\n"Ana R." = "m001"'),
    Section("analysis", "[analysis]", "How measures are computed; command-line options "
            "override these.", (
        _choice("nonrespondents", ("respondents", "union"), '"union"', "respondents: ties "
                "are what respondents reported; union: for symmetric relations, a "
                "non-respondent's ties are rebuilt from what others reported.",
                default="respondents"),
        Key("permutations", "a whole number", "5000", "Draws per permutation test: 0 (no "
            "tests) or 1000 to 1,000,000. Unset: 1000 per test, and a test at p ≤ 0.05 is drawn "
            "again with enough draws for its q-value (20·m/0.05 for m tests, as time "
            "allows)."),
        _choice("duplicates", ("keep_last", "keep_first", "error"), '"error"', "A member "
                "who answered the same survey twice.", default="keep_last"),
        _choice("conflicts", ("error", "max", "mean", "first"), '"max"', "Two different "
                "answers from one respondent about one member in one question: error "
                "uses neither; the others combine them (first: the leftmost column or "
                "first row).", default="error"),
        Key("response_rate_warning", "a number", "0.6", "Warn when a focus group's "
            "response rate is below this share (0 to 1).", default=0.7),
        Key("small_group", "a whole number", "8", "Groups smaller than this are flagged "
            "\"read with care\" in every table and chart (5 or more: a study may be "
            "stricter, not laxer; at least 1 in any case).", default=5),
        Key("suppress_group", "a whole number", "5", "Groups smaller than this are not "
            "measured, are left out of shared (retreat) views, and their p-values are "
            "withheld (3 or more).", default=3),
        Key("resolution", "a number", "1.2", "Resolution of the modularity that community "
            "detection (Leiden) maximises: above 0 (higher: more, smaller communities).",
            default=1.0),
        Key("introductions", "a whole number", "5", "Suggested introductions per member "
            "in the weaver's worklist (0 to 100).", default=3),
    ), example='[analysis]\nnonrespondents = "respondents"\nconflicts = "error"'),
    Section("indicators", "[indicators]", "How evidence becomes Collective Power scores "
            "and bands (read when a wave is analysed).", (
        Key("emerging_below", "a number", "35", "Scores below this are Emerging.",
            default=40.0),
        Key("strong_from", "a number", "75", "Scores from this up are Strong (between: "
            "Developing).", default=70.0),
        _text("lived_experience", '"lived_experience"', 'The focus group read as "lived '
              'experience": a key of [focus_groups] (when given, it must be one).',
              default="lived_experience"),
        _text("grassroots", '"grassroots"', 'The focus group read as "grassroots": a key '
              "of [focus_groups] (when given, it must be one).", default="grassroots"),
        _text("trust_relation", '"trust"', "The relation used as trust evidence: a key of "
              "[relations] (at its default: the relation whose role is trust).",
              default="trust"),
        _text("collaboration_relation", '"collaborate"', "The relation used as "
              "collaboration evidence: a key of [relations] (at its default: the relation "
              "whose role is collaboration).", default="collaborate"),
        _text("advice_relation", '"advice"', "The relation used as advice evidence: a key "
              "of [relations] (at its default: the relation whose role is advice).",
              default="advice"),
        _text("resources_relation", '"funding"', "The relation used as resource-sharing "
              "evidence: a key of [relations] (at its default: the relation whose role is "
              "resources).", default="resources"),
        Key("density_target", "a number", "0.25", "Collaboration density that scores 100 "
            "(above 0).", default=0.2),
        Key("clustering_target", "a number", "0.5", "Collaboration clustering that scores "
            "100 (above 0).", default=0.4),
        Key("weights", "a table", "", "Weight of each evidence item.",
            note="1 for every item", tables="[indicators.weights]"),
    ), example='[indicators]\nemerging_below = 40\nstrong_from = 70'),
    Section("indicators.weights", "[indicators.weights]", "Weight of each evidence item in "
            "its indicator: a number, 1 by default; 0 leaves the item out.",
            entries="<evidence item> = weight",
            example="[indicators.weights]\nmutual_trust = 2\ncollaboration = 0"),
    Section("report", "[report]", "Reserved for report options: cpower reads no key here "
            "yet, so any key written here is an error (it would otherwise be ignored "
            "without a word).",
            example="[report]"),
)

_BY_NAME = {s.name: s for s in SECTIONS}


def section(name: str) -> Section:
    """The section called ``name`` (``KeyError`` when there is none)."""
    return _BY_NAME[name]


def keys(name: str) -> tuple[str, ...]:
    """The keys section ``name`` allows, in the order documented."""
    return tuple(k.name for k in section(name).keys)


def question_keys(shape: str) -> tuple[str, ...]:
    """The keys a question of ``shape`` allows besides ``shape``."""
    return tuple(k for k in keys(f"questions.{shape}") if k != "shape")


def top_keys() -> tuple[str, ...]:
    """The top-level tables of ``cpower.toml``."""
    return tuple(dict.fromkeys(s.top for s in SECTIONS))


def select(name: str | None) -> list[Section]:
    """The sections ``cpower config NAME`` shows: every section for ``None``; else the
    one named (``[roster]``, ``roster``), a question shape (``long``), a group
    (``questions``, ``indicators``) or, failing those, every section with a key of that
    name (``write_in``). Empty when nothing fits."""
    if name is None:
        return list(SECTIONS)
    wanted = name.strip().strip("[]").strip()
    if f"questions.{wanted}" in _BY_NAME:
        wanted = f"questions.{wanted}"
    found = [s for s in SECTIONS if s.name == wanted or s.name.startswith(wanted + ".")]
    return found or [s for s in SECTIONS if wanted in (k.name for k in s.keys)]


def names() -> list[str]:
    """Every word ``cpower config`` knows: section names, shapes and key names."""
    shapes = [s.name.split(".", 1)[1] for s in SECTIONS if s.name.startswith("questions.")]
    words = [s.name for s in SECTIONS] + shapes + [k.name for s in SECTIONS for k in s.keys]
    return list(dict.fromkeys(words))


def known_entries(name: str) -> list[str]:
    """Names the code already knows for a section's entries (built-in perception items,
    evidence items), shown with the section."""
    if name == "items":
        return list(DEFAULT_ITEMS)
    if name == "indicators.weights":
        return list(ITEM_KEYS)
    return []


def example() -> str:
    """Every section's example, together: one complete, valid ``cpower.toml``."""
    return "\n\n".join(s.example for s in SECTIONS) + "\n"


_INTRO = """\
A study folder's `cpower.toml` says where the roster and each wave's survey exports are
and what their columns mean. Paths are relative to the study folder, and every file must
lie inside it (after following symlinks): a cpower.toml cannot make cpower read a file
from elsewhere on the computer unless the command is given `--allow-outside-files`
(`allow_outside_files=True` in Python). Numbers must be finite (no `nan` or `inf`) and
within each key's range. Run `cpower validate STUDY` after every change: it lists every
problem at once, each unknown key with the closest valid one. `cpower config SECTION`
shows one section in the terminal; `cpower init STUDY` writes a commented example."""


def markdown(name: str | None = None) -> str:
    """The reference as Markdown: a heading per section, a table of its keys (key, type,
    default, example, meaning) and an example; ``docs/configuration.md`` is this text.

    Parameters
    ----------
    name : str, optional
        What to show, as :func:`select` reads it (default: every section).

    Returns
    -------
    str
    """
    lines = ["# Configuration reference (cpower.toml)", "",
             "<!-- Generated: cpower config --markdown > docs/configuration.md "
             "(edit cpower_network/config/reference.py, not this file) -->", "", _INTRO]
    for s in select(name):
        lines += ["", f"## `{s.table}`", "", f"{s.doc} (`cpower config {s.name}`)", ""]
        if s.entries:
            lines += [f"Each entry: `{s.entries}`.", ""]
        if known_entries(s.name):
            lines += ["Known: " + ", ".join(f"`{n}`" for n in known_entries(s.name)) + ".",
                      ""]
        if s.keys:
            lines += ["| Key | Type | Default | Example | Meaning |", "|---|---|---|---|---|"]
            lines += ["| " + " | ".join(_cell(c) for c in (
                f"`{k.name}`", k.type, k.default_cell, k.example_cell, k.doc))
                + " |" for k in s.keys]
            lines.append("")
        lines += ["```toml", s.example, "```"]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def text(name: str | None = None, *, width: int = 88) -> str:
    """The reference for a terminal (``cpower config``): each section with its keys,
    then an example.

    Parameters
    ----------
    name : str, optional
        What to show, as :func:`select` reads it (default: every section).
    width : int
        Wrap the text at this many characters.

    Returns
    -------
    str
    """
    out: list[str] = []
    wrap = textwrap.TextWrapper(width=width, initial_indent="  ", subsequent_indent="  ")
    deeper = textwrap.TextWrapper(width=width, initial_indent="      ",
                                  subsequent_indent="      ")
    head = textwrap.TextWrapper(width=width, initial_indent="  ", subsequent_indent="      ")
    for s in select(name):
        out += [s.table, *wrap.wrap(s.doc)]
        if s.entries:
            out += wrap.wrap(f"Each entry: {s.entries}.")
        if known_entries(s.name):
            out += wrap.wrap("Known: " + ", ".join(known_entries(s.name)) + ".")
        for k in s.keys:
            out += ["", *head.wrap(f"{k.name}  ({k.type}; {k.default_text})"),
                    *deeper.wrap(k.doc), f"      e.g. {k.example_text}"]
        out += ["", "  Example:", *("    " + line for line in s.example.splitlines()), ""]
    return "\n".join(out)
