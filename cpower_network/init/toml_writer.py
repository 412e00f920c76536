"""Write a :class:`~.model.StudyGuess` as a commented ``cpower.toml``.

Every guess carries a ``#`` comment saying what was seen; whatever needs a decision is a
``# CHECK:`` line; tables that cannot work until the user decides are written commented
out, so the file stays valid for ``cpower validate``.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from typing import Any

from ..common.wording import counted
from ..config.relations import ROLES
from .model import Block, RelationGuess, RosterGuess, StudyGuess, SurveyGuess
from .naming import clip
from .scales import ScaleGuess

WIDTH = 92
NOTE_COLUMN = 32
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_key(key: str) -> str:
    """A TOML key, quoted when it is not a bare key.

    >>> toml_key("take_part"), toml_key("A lot")
    ('take_part', '"A lot"')
    """
    return key if _BARE_KEY.match(key) else toml_value(key)


def toml_value(value: Any) -> str:
    """A TOML value: string, number, boolean, list or inline table.

    >>> print(toml_value('Say "hi"'), toml_value(True), toml_value(2.0), toml_value(["a", 1]))
    "Say \\"hi\\"" true 2 ["a", 1]
    >>> toml_value({"Never": 0, "A lot": 3})
    '{ Never = 0, "A lot" = 3 }'
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


class Writer:
    """Collects the lines of the file; ``active=False`` writes lines commented out."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def comment(self, text: str) -> None:
        for line in textwrap.wrap(" ".join(text.split()), WIDTH - 2) or [""]:
            self.lines.append(f"# {line}".rstrip())

    def check(self, text: str) -> None:
        wrapped = textwrap.wrap(" ".join(text.split()), WIDTH - 9)
        for number, line in enumerate(wrapped):
            self.lines.append(("# CHECK: " if number == 0 else "#        ") + line)

    def raw(self, line: str, *, active: bool = True) -> None:
        self.lines.append(line if active else f"# {line}")

    def key(self, key: str, value: Any, note: str | None = None, *,
            active: bool = True) -> None:
        line = f"{toml_key(key)} = {toml_value(value)}"
        if note:
            note = " ".join(note.split())
            line = (f"{line:<{NOTE_COLUMN - 1}} # {note}" if len(line) < NOTE_COLUMN - 1
                    else f"{line}  # {note}")
        self.raw(line, active=active)

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


def render(study: StudyGuess, *, folder: str) -> str:
    """The whole ``cpower.toml``."""
    out = Writer()
    out.comment(f"cpower.toml written by `cpower init --from` from {len(study.surveys)} "
                "export(s). Paths are relative to this folder.")
    out.comment("Each guess says what it saw (# seen: …). Lines marked # CHECK: need your "
                f"decision. Then run: cpower validate {folder}")
    out.blank()
    out.raw("[study]")
    out.key("name", study.name)
    out.key("seed", 1, "same data + same seed = the same report")
    _roster(out, study.roster)
    _aliases(out, study)
    _scales(out, study.registry.scales)
    roles: dict[str, str] = {}
    for relation in study.registry.relations.values():
        _relation(out, relation, roles)
    if not any(r.active for r in study.registry.relations.values()):
        out.blank()
        out.check("no question about ties between members could be read from these exports, "
                  "and cpower needs at least one [relations.X] table: add the relationship "
                  "survey with --from, or describe its questions by hand")
    out.blank()
    out.raw(f"[waves.{toml_key(study.wave)}]")
    out.key("label", study.wave)
    for survey in study.surveys:
        _survey(out, study.wave, survey)
    return out.text()


def _roster(out: Writer, roster: RosterGuess) -> None:
    out.blank()
    out.comment(f"The roster: {roster.members} members.")
    for check in roster.checks:
        out.check(check)
    out.raw("[roster]")
    out.key("file", roster.file)
    for key, column in roster.keys.items():
        out.key(key, column, roster.notes.get(key))
    for key, column in roster.commented.items():
        out.key(key, column, active=False)
    if "role" in roster.keys:
        out.raw('leadership_roles = ["Co-chair"]  # the roles that count as leadership',
                active=False)
    out.blank()
    out.comment("Groups the coalition wants power to shift towards (yes/no roster columns, "
                "or the values of a column).")
    out.raw("[focus_groups]")
    for group in roster.focus:
        for check in group.checks:
            out.check(check)
        spec = {"column": group.column, "label": group.label}
        if group.values:
            spec["values"] = group.values
        spec.update(group.bounds)
        out.key(group.key, spec, group.note, active=group.active)
    others = [c for c in roster.yes_no_columns if c not in {g.column for g in roster.focus}]
    if others:
        out.comment(f"yes/no roster columns seen: {', '.join(others)} (add one here with "
                    "--focus COLUMN or by hand if it marks such a group)")


def _aliases(out: Writer, study: StudyGuess) -> None:
    out.blank()
    out.comment("Other spellings of members' names used in the surveys: \"spelling\" = "
                "\"member id\".")
    out.raw("[aliases]")
    unmatched = dict.fromkeys(u for s in study.surveys for u in s.unmatched)
    matcher = study.roster.matcher
    for text in list(unmatched)[:30]:
        closest = matcher.suggest(text, limit=1)
        note = f"closest: {closest[0]}" if closest else "matches nobody on the roster"
        out.key(text, "<member id>", note, active=False)


def _scales(out: Writer, scales: Mapping[str, ScaleGuess]) -> None:
    out.blank()
    out.comment("Answer scales, built from the labels seen, in their natural order.")
    out.raw("[scales]")
    for scale in scales.values():
        kind = scale.family.kind if scale.family else "an order cpower does not know"
        out.comment(f"seen: {counted(len(scale.labels), 'label')} in "
                    f"{counted(len(scale.sources), 'question')}, read as {kind}")
        for check in scale.checks():
            out.check(check)
        codes = scale.codes()
        if codes:
            out.comment(f"the export writes choice names ({', '.join(codes)}): declared as "
                        "codes of their labels")
            out.key(scale.name, {"labels": dict(scale.ordered()), "codes": codes})
        else:
            out.key(scale.name, dict(scale.ordered()))


def _relation(out: Writer, relation: RelationGuess, roles: dict[str, str]) -> None:
    """A ``[relations.X]`` table: label, scale, its evidence role (``roles``: role ->
    the relation that took it first) and, when mutual by nature, its direction."""
    out.blank()
    sources = dict.fromkeys(relation.sources)
    more = f" (and {len(sources) - 1} more)" if len(sources) > 1 else ""
    out.comment(f'from: "{clip(next(iter(sources)), 70)}"{more}')
    if relation.known:
        out.comment(f"what it measures: {relation.about}")
    else:
        out.check("the question's wording matched no relation cpower knows (collaborate, "
                  "trust, advice, influence, resources, know): the key and label are taken "
                  "from its text; rename them")
    if not relation.active:
        out.check("only questions that cannot be read yet ask about this relation: "
                  "uncomment it with them")
    active = relation.active
    out.raw(f"[relations.{toml_key(relation.key)}]", active=active)
    out.key("label", relation.label, active=active)
    out.key("scale", relation.scale,
            "any mention is a tie" if relation.scale == "tie" else None, active=active)
    _role(out, relation, roles)
    if relation.symmetric:
        out.comment("mutual by nature, so undirected: the two members' reports are "
                    'combined by reciprocity = "either" (a tie when either reported it; or '
                    '"both", "mean")')
        out.key("direction", "undirected", active=active)


def _role(out: Writer, relation: RelationGuess, roles: dict[str, str]) -> None:
    """``role = "…"`` when the relation's wording names one, else a CHECK saying which
    roles exist; a CHECK too when an earlier relation already plays the role."""
    if not relation.role:
        out.check(f"no evidence role guessed: indicators find their evidence by role "
                  f"({', '.join(ROLES)}), so add role = \"…\" if this relation is evidence "
                  "for one; without a role it is mapped and measured but no indicator "
                  "reads it")
        return
    if relation.role in roles:
        out.check(f"[relations.{roles[relation.role]}] plays this role too: indicators "
                  "read the first of them with answers in the wave; keep the role on the "
                  "one that should count")
    roles.setdefault(relation.role, relation.key)
    out.key("role", relation.role, "the evidence indicators read it for",
            active=relation.active)


def _survey(out: Writer, wave: str, survey: SurveyGuess) -> None:
    out.blank()
    out.comment(f"{survey.notes.get('platform', '')[6:]}, {survey.responses} responses")
    out.raw(f"[[waves.{toml_key(wave)}.surveys]]")
    out.key("file", survey.file)
    out.key("platform", survey.platform)
    out.key("respondent", survey.respondent, survey.notes.get("respondent"))
    if survey.timestamp:
        out.key("timestamp", survey.timestamp, "orders duplicate responses")
    if survey.unread:
        out.comment("not read (no roster names, no known scale or item): "
                    + ", ".join(f'"{clip(u, 50)}"' for u in survey.unread[:12])
                    + (" …" if len(survey.unread) > 12 else ""))
    for check in survey.checks:
        out.check(check)
    for block in survey.blocks:
        _block(out, wave, block)


def _block(out: Writer, wave: str, block: Block) -> None:
    out.blank()
    out.comment(f"seen: {block.seen}")
    for check in block.checks:
        out.check(check)
    active = block.active
    out.raw(f"[[waves.{toml_key(wave)}.surveys.questions]]", active=active)
    out.key("shape", block.shape, active=active)
    items = block.keys.get("items")
    for key, value in block.keys.items():
        if key != "items" or len(items) <= 2:
            out.key(key, value, block.notes.get(key), active=active)
    if items and len(items) > 2:
        out.raw(f"[waves.{toml_key(wave)}.surveys.questions.items]", active=active)
        for key, column in items.items():
            out.key(key, column, block.notes.get(f"items.{key}"), active=active)
