"""Hostile and broken input never gives a traceback (issue 14): a property test of the
command line.

A small valid study (five members in three silos, two waves of one survey holding a
roster matrix, a name generator and a decision) is written afresh for every example,
then broken: its ``cpower.toml`` mutated (a key dropped or misspelt, a value of the
wrong type, a negative, huge or non-finite number, an unknown key, a misspelt relation,
an empty string, control characters) and its files damaged (a CSV truncated at a
random byte, random bytes inserted, the file re-encoded, the roster deleted). One of
``validate``, ``analyze``, ``export``, ``weave`` and ``compare`` then runs on it through
click's :class:`~click.testing.CliRunner`, and every run must:

* print no Python traceback and raise nothing but :class:`SystemExit`;
* exit 0, 1 or 2;
* when it fails, say so on lines that each name their source: the damaged file or the
  config key involved (or, for a mutation that surfaces elsewhere, another file of the
  study, a ``[section]`` of ``cpower.toml``, or the study folder on the line counting
  the problems listed);
* when it writes a report, show no "nan", "None", "null" or "undefined" for a value.

Each command family (validate, analyze, export, weave, compare) is its own property with
a fixed seed, so every command gets its share of the examples and a run is repeatable;
``CPOWER_PROPERTY_EXAMPLES`` sets how many per family (12 by default: 60 runs). Each
property prints how many runs it made and their exit codes (``pytest -rA`` or ``-s``).
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import math
import os
import re
import shutil
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from cpower_network.cli.commands import main

# ---------------------------------------------------------------------------------------
# The valid study
# ---------------------------------------------------------------------------------------
ROSTER = ("member_id,name,sector,role,lived\n"
          "m1,Ana Ruiz,Parents,Chair,yes\n"
          "m2,Bo Baker,Parents,Member,no\n"
          "m3,Kim Tran,Providers,Member,yes\n"
          "m4,José Núñez,Providers,Member,no\n"
          "m5,Zoë Çelik,Funders,Member,no\n")
HEADER = "who,c_m1,c_m2,c_m3,c_m4,c_m5,adv1,adv2,inv1,shaped1,voice1\n"
SURVEYS = {
    "w1": HEADER
    + "m1,,Weekly,Monthly,Never,Weekly,Kim Tran,,Yes,m3;m5,Agree\n"
    + "m2,Weekly,,Never,Monthly,,Ana Ruiz,Zoë Çelik,Yes,m1,Disagree\n"
    + "m3,Monthly,Never,,Weekly,Never,Kimmy,,No,,\n"
    + "m4,,Monthly,Weekly,,Monthly,Kim Tran,Bo Baker,Yes,m1;m3,Agree\n",
    "w2": HEADER
    + "m1,,Weekly,Weekly,Monthly,Weekly,Kim Tran,José Núñez,Yes,m3,Agree\n"
    + "m2,Weekly,,Monthly,Monthly,Never,Ana Ruiz,,Yes,m1;m4,Agree\n"
    + "m3,Weekly,Monthly,,Weekly,Never,José Núñez,,Yes,m4,Disagree\n"
    + "m5,Monthly,Never,Never,Monthly,,Ana Ruiz,Kim Tran,No,,\n",
}
FILES = ("roster.csv", "w1/survey.csv", "w2/survey.csv")


def _wave(key: str) -> dict[str, Any]:
    return {"label": f"Wave {key[1]}", "surveys": [{
        "file": f"{key}/survey.csv", "respondent": "who", "timestamp": None,
        "questions": [
            {"shape": "matrix", "relation": "collaborate", "columns": "c_{member}"},
            {"shape": "name_generator", "relation": "advice", "columns": ["adv1", "adv2"]},
            {"shape": "decision", "decision": "budget", "label": "The budget",
             "involved": "inv1", "column": "shaped1", "separator": ";",
             "voice": "voice1", "scale": "agree"},
        ]}]}


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


CONFIG: dict[str, Any] = _without_none({
    "study": {"name": "Property study", "seed": 5},
    "roster": {"file": "roster.csv", "id": "member_id", "name": "name", "silo": "sector",
               "role": "role", "leadership_roles": ["Chair"]},
    "focus_groups": {"lived_experience": {"column": "lived", "label": "Lived experience"}},
    "aliases": {"Kimmy": "m3"},
    "scales": {"frequency": {"Never": 0, "Monthly": 2, "Weekly": 3},
               "agree": {"Disagree": 1, "Agree": 2}},
    "relations": {"collaborate": {"label": "Work together", "scale": "frequency",
                                  "role": "collaboration", "strong": 2},
                  "advice": {"label": "Advice", "role": "advice"}},
    # no permutation tests: every run stays fast (a mutation may still ask for some)
    "analysis": {"permutations": 0, "duplicates": "keep_last"},
    "indicators": {"density_target": 0.3, "weights": {"collaboration": 1}},
    "waves": {"w1": _wave("w1"), "w2": _wave("w2")},
})


# --- writing TOML (the standard library only reads it) ---------------------------------
def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")  # a control character, escaped as TOML wants
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}"
                            for k, v in value.items()) + " }"


def dumps(config: dict[str, Any]) -> str:
    """``config`` as TOML: top-level tables as ``[section]``, everything below inline."""
    lines = [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in config.items()
             if not isinstance(v, dict)]
    for key, table in config.items():
        if isinstance(table, dict):
            lines.append(f"[{_toml_key(key)}]")
            lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def write_study(root: Path, config: dict[str, Any]) -> Path:
    root.mkdir(parents=True)
    (root / "cpower.toml").write_text(dumps(config), encoding="utf-8")
    (root / "roster.csv").write_text(ROSTER, encoding="utf-8")
    for wave, text in SURVEYS.items():
        (root / wave).mkdir()
        (root / wave / "survey.csv").write_text(text, encoding="utf-8")
    return root


# ---------------------------------------------------------------------------------------
# Mutations
# ---------------------------------------------------------------------------------------
KeyPath = tuple[Any, ...]


def paths(value: Any, prefix: KeyPath = ()) -> Iterator[KeyPath]:
    """Every key path in ``value`` (dict keys and list indexes), parents first."""
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


PATHS = list(paths(CONFIG))


def lookup(config: Any, path: KeyPath) -> Any:
    for key in path:
        config = config[key]
    return config


PATHS_OF = {kind: [p for p in PATHS if isinstance(lookup(CONFIG, p), kind)]
            for kind in (str, dict, int)}
NUMBER_PATHS = [p for p in PATHS if isinstance(lookup(CONFIG, p), (int, float))
                and not isinstance(lookup(CONFIG, p), bool)]
RELATION_KEY_PATHS = [p for p in PATHS if p[-1] == "relation"]

#: Every text of the valid study (its own values and its files' column headers): put in
#: the wrong place, they pass the type checks and reach the reading and the analysis.
TEXTS = sorted({v for p in PATHS if isinstance(v := lookup(CONFIG, p), str)}
               | set(HEADER.strip().split(",")) | set(ROSTER.split("\n")[0].split(",")))
WRONG_TYPES = [42, -1, 3.5, True, "text", "", [], {}, [1, "a"], {"x": 1}, ["Chair", 3]]
NUMBERS = [-1, -7, 0, -0.0, 0.5, -(10**18), 10**18, 2**63 - 1, -(2**63),
           float("inf"), float("-inf"), float("nan"), 1e308, -1e-308]
CONTROL = ["\x00", "\x07", "\x1b[31m", "\r\n", "\t", "\x7f", "\u2028", "\ufeff", "\x0c"]
UNKNOWN_KEYS = ["colour", "silos", "permutation", "focus", "waves", "Name", "",
                " relation", "relaton", "scale ", "é", "\x01"]
ENCODINGS = ["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "utf-8-sig", "mac_roman",
             "cp437"]


def misspell(word: str, how: int) -> str:
    """A plausible misspelling: a letter dropped, doubled, swapped or the case changed."""
    if not word:
        return "x"
    i = how % len(word)
    variants = [word[:i] + word[i + 1:], word[:i] + word[i] + word[i:],
                word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:],
                word.upper(), word + "s"]
    found = variants[how % len(variants)]
    return found if found != word else word + "x"


@dataclass(frozen=True)
class Mutation:
    """One change to ``cpower.toml``: ``op`` at ``path`` (with ``arg``)."""

    op: str
    path: KeyPath
    arg: Any = None

    def apply(self, config: dict[str, Any]) -> None:
        if self.op == "unknown-key":
            lookup(config, self.path)[self.arg] = "surprise"
            return
        *parent_path, last = self.path
        parent = lookup(config, parent_path)
        if self.op == "drop":
            del parent[last]
        elif self.op in ("replace", "number", "empty", "control"):
            parent[last] = self.arg
        elif self.op == "rename-key" and isinstance(parent, dict):
            parent[self.arg] = parent.pop(last)
        elif self.op == "misspell-relation":
            parent[last] = self.arg

    def sources(self) -> set[str]:
        """What an error caused by this mutation may name: the keys on its path (and
        the key it adds or renames), or the file ``cpower.toml``."""
        names = {str(k) for k in self.path if isinstance(k, str)}
        if self.op in ("unknown-key", "rename-key"):
            names.add(str(self.arg))
        if self.op == "misspell-relation" and isinstance(self.arg, str):
            names.add(self.arg)
        return names | {"cpower.toml"}

    def __str__(self) -> str:
        where = ".".join(str(k) for k in self.path)
        return f"{self.op} {where}" + (f" = {self.arg!r}" if self.arg is not None else "")


@dataclass(frozen=True)
class Damage:
    """One damaged file: ``op`` on ``file`` (with ``arg``)."""

    op: str
    file: str
    arg: Any = None

    def apply(self, root: Path) -> None:
        target = root / self.file
        if not target.exists():
            return
        if self.op == "delete":
            target.unlink()
            return
        data = target.read_bytes()
        if self.op == "truncate":
            data = data[:self.arg % (len(data) + 1)]
        elif self.op == "insert":
            where, junk = self.arg
            where %= len(data) + 1
            data = data[:where] + junk + data[where:]
        elif self.op == "encode":
            data = data.decode("utf-8", errors="replace").encode(self.arg, errors="replace")
        target.write_bytes(data)

    def sources(self) -> set[str]:
        return {self.file, Path(self.file).name}

    def __str__(self) -> str:
        return f"{self.op} {self.file}" + (f" ({self.arg!r})" if self.arg is not None else "")


texts = st.text(st.characters(codec="utf-8"), max_size=12)

mutations = st.one_of(
    st.builds(Mutation, st.just("drop"), st.sampled_from(PATHS)),
    st.builds(Mutation, st.just("replace"), st.sampled_from(PATHS),
              st.sampled_from(WRONG_TYPES)),
    st.builds(Mutation, st.just("replace"), st.sampled_from(PATHS_OF[str]),
              st.sampled_from(TEXTS)),
    st.builds(Mutation, st.just("number"), st.sampled_from(NUMBER_PATHS),
              st.sampled_from(NUMBERS) | st.integers(-3, 4)),
    st.builds(Mutation, st.just("unknown-key"),
              st.sampled_from([(), *PATHS_OF[dict]]),
              st.sampled_from(UNKNOWN_KEYS) | texts),
    st.builds(lambda p, how: Mutation("rename-key", p, misspell(str(p[-1]), how)),
              st.sampled_from([p for p in PATHS if isinstance(p[-1], str)]),
              st.integers(0, 40)),
    st.builds(lambda p, how: Mutation("misspell-relation", p,
                                      misspell(lookup(CONFIG, p), how)),
              st.sampled_from(RELATION_KEY_PATHS), st.integers(0, 40)),
    st.builds(Mutation, st.just("empty"), st.sampled_from(PATHS_OF[str]), st.just("")),
    st.builds(lambda p, ch, where: Mutation(
        "control", p, _insert(lookup(CONFIG, p), ch, where)),
        st.sampled_from(PATHS_OF[str]), st.sampled_from(CONTROL), st.integers(0, 30)),
)


def _insert(text: str, piece: str, where: int) -> str:
    where %= len(text) + 1
    return text[:where] + piece + text[where:]


damages = st.one_of(
    st.builds(Damage, st.just("truncate"), st.sampled_from((*FILES, "cpower.toml")),
              st.integers(0, 2000)),
    st.builds(Damage, st.just("insert"), st.sampled_from((*FILES, "cpower.toml")),
              st.tuples(st.integers(0, 2000), st.binary(min_size=1, max_size=6))),
    st.builds(Damage, st.just("encode"), st.sampled_from((*FILES, "cpower.toml")),
              st.sampled_from(ENCODINGS)),
    st.builds(Damage, st.just("delete"), st.sampled_from(FILES)),
)

#: The commands run, by family; each family is its own property, so that every command
#: gets its share of the examples. The --allow-problems runs go past the data's problems
#: into the measures, indicators, report and exports.
COMMANDS = {
    "validate": [("validate",), ("validate", "--verbose"), ("validate", "--errors-only")],
    "analyze": [("analyze",), ("analyze", "--json", "{out}/r.json"),
                ("analyze", "--audience", "retreat", "--anonymize"), ("analyze", "--wave", "w1"),
                ("analyze", "--allow-problems"),
                ("analyze", "--allow-problems", "--audience", "retreat")],
    "export": [("export", "--format", "csv"), ("export", "--format", "json"),
               ("export", "--format", "gexf"), ("export", "--format", "graphml"),
               ("export", "--format", "csv", "--allow-problems")],
    "weave": [("weave",), ("weave", "--allow-problems")],
    "compare": [("compare",), ("compare", "--allow-problems")],
}
#: The valid study runs cleanly under one command of each kind.
BASELINE = [("validate",), ("analyze", "--json", "{out}/r.json"),
            ("analyze", "--audience", "retreat", "--anonymize"), ("export", "--format", "csv"),
            ("export", "--format", "gexf"), ("weave",), ("compare",)]


# ---------------------------------------------------------------------------------------
# The property
# ---------------------------------------------------------------------------------------
RUNS: Counter[str] = Counter()
EXITS: Counter[int] = Counter()
_folders = itertools.count()
TRACEBACK = "Traceback (most recent call last)"


#: "nan", "None", "null" or "undefined" standing for a value in a report: alone on a
#: line (a cell) or after a label's colon ("None of the tests" is prose, not a value).
MISSING = re.compile(r"(?:^|[:=]) *(?:nan|NaN|None|null|undefined) *(?:$|[,;)%.])",
                     re.MULTILINE)


class _Text(HTMLParser):
    """The text of a page a reader sees: no script, style or template content."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.skip += tag in ("script", "style", "template")
        self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style", "template")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return re.sub(r"\s*\n\s*", "\n", "".join(parser.parts))


def run(root: Path, command: tuple[str, ...], out: Path) -> Result:
    args = [command[0], str(root), *(a.replace("{out}", str(out)) for a in command[1:])]
    if command[0] == "analyze" and "--out" not in args:
        args += ["--out", str(out / "report.html")]
    if command[0] == "export":
        args += ["--out", str(out / ("tables" if "csv" in command else "network.x"))]
    if command[0] == "compare":
        args += ["--out", str(out / "compare.html")]
    return CliRunner().invoke(main, args)


def check(result: Result, changes: list[Mutation | Damage], command: tuple[str, ...],
          root: str, out: Path) -> None:
    shown = f"{' '.join(command)} after {'; '.join(map(str, changes)) or 'no change'}"
    output = result.output
    assert TRACEBACK not in output, f"{shown}: a traceback\n{output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{shown}: raised {result.exception!r}")
    assert result.exit_code in (0, 1, 2), f"{shown}: exit {result.exit_code}\n{output}"
    if result.exit_code == 0:
        for page in Path(out).glob("*.html"):
            text = visible_text(page.read_text(encoding="utf-8"))
            assert not MISSING.search(text), (
                f"{shown}: {page.name} shows a missing value: "
                f"{MISSING.search(text).group(0)!r}")
    if result.exit_code:
        sources = set().union(*(c.sources() for c in changes)) if changes else set()
        sources |= {"cpower.toml", *FILES, *(Path(f).name for f in FILES), "[", root}
        # every line that says what is wrong names where: a file, a [section] or key of
        # cpower.toml, or the study (for the line that counts the problems listed)
        said = [line for line in output.splitlines()
                if line.startswith(("Error:", "  - ", "  error "))]
        assert said, f"{shown}: exit {result.exit_code} without an error\n{output}"
        for line in said:
            assert any(s and s in line for s in sources), (
                f"{shown}: exit {result.exit_code}, an error that names no source "
                f"({sorted(sources)}): {line}\n{output}")


#: Generated examples per command family (each one run on a broken study); set
#: CPOWER_PROPERTY_EXAMPLES for a longer search.
EXAMPLES = int(os.environ.get("CPOWER_PROPERTY_EXAMPLES", "12"))

broken_studies = st.tuples(st.lists(mutations, max_size=2), st.lists(damages, max_size=2)) \
    .map(lambda found: found[0] + found[1]).filter(bool)


def one_run(tmp_path: Path, changes: list[Mutation | Damage],
            command: tuple[str, ...]) -> None:
    """One generated run: the study broken by ``changes``, then ``command`` on it."""
    root = tmp_path / f"study-{next(_folders)}"
    config = copy.deepcopy(CONFIG)
    for change in changes:
        if isinstance(change, Mutation):
            # an earlier change may have removed what this one would change
            with contextlib.suppress(KeyError, IndexError, TypeError):
                change.apply(config)
    write_study(root, config)
    for change in changes:
        if isinstance(change, Damage):
            change.apply(root)
    out = tmp_path / f"{root.name}-out"  # outside the study: no file of it to suggest
    out.mkdir()
    RUNS[command[0]] += 1
    try:
        result = run(root, command, out)
        EXITS[result.exit_code] += 1
        check(result, changes, command, str(root), out)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)


@pytest.mark.parametrize("family", list(COMMANDS))
def test_broken_studies_never_give_a_traceback(tmp_path, family):
    RUNS.clear()
    EXITS.clear()
    # a fixed seed per family: the same examples on every run, other ones per family
    prop = seed(zlib.crc32(family.encode()))(settings(
        max_examples=EXAMPLES, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])(
        given(changes=broken_studies, command=st.sampled_from(COMMANDS[family]))(one_run)))
    prop(tmp_path)
    total = sum(RUNS.values())
    # how many generated runs the property made (shown with pytest -s, or -rA)
    print(f"\ncli property, {family}: {total} generated runs "
          f"({', '.join(f'exit {k}: {n}' for k, n in sorted(EXITS.items()))})")
    assert total >= EXAMPLES // 2


@pytest.mark.parametrize("command", BASELINE, ids=lambda c: " ".join(c))
def test_the_valid_study_runs_cleanly(tmp_path, command):
    root = write_study(tmp_path / "study", copy.deepcopy(CONFIG))
    (tmp_path / "out").mkdir()
    result = run(root, command, tmp_path / "out")
    check(result, [], command, str(root), tmp_path / "out")
    assert result.exit_code == 0, result.output
