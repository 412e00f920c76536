"""Fixtures of the report tests: the demo report, a hostile study, and a headless Chromium
that may not touch the network.

* ``demo_results`` / ``demo_reports``: the bundled example study analysed with seed 1 and
  written once per session, both audiences (``{"evaluator": path, "retreat": path}``).
* ``hostile_study``: a small study whose names, organisations, silos and labels are
  markup, template syntax, quotes, line separators, emoji and right-to-left text; the
  ``hostile`` fixture holds those strings.
* ``browser``: one Chromium per session (Debian's ``/usr/bin/chromium`` through
  Playwright; a browser is never downloaded). Without it the browser tests fail, saying
  how to install it (``.ci/run`` installs it on CI), never skip.
* ``open_report(path)``: opens a report from ``file://`` in a fresh browser context
  where every request that is not ``file://`` is recorded and aborted, and console
  errors and page errors are recorded; at teardown the test fails if any happened.
* ``--update-golden``: rewrite ``tests/report/golden/`` (see ``test_golden.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

import cpower_network as cp

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
AUDIENCES = ("evaluator", "retreat")
SEED = 1


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="cpower report tests: rewrite tests/report/golden/ from the "
                          "current output instead of comparing with it.")


@pytest.fixture(scope="session")
def demo_results():
    return cp.analyze(cp.load_study(cp.example_study_path()), seed=SEED)


@pytest.fixture(scope="session")
def demo_reports(demo_results, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("demo-report")
    return {audience: demo_results.to_html(folder / f"report-{audience}.html",
                                           audience=audience)
            for audience in AUDIENCES}


# --- a study whose every string is hostile ---------------------------------------------

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
QUOTES = "Dan \"The Quote\" O'Brien </script>"
TEMPLATE = "{{7*7}} ${7*7} {% raw %}<%= 7*7 %>"
SEPARATORS = "Line\u2028Break\u2029Para"
EMOJI = "🌻 Ana 👩🏽‍🌾 Ruiz"
RTL = "مريم الحسيني"
HOSTILE_NAMES = (SCRIPT, IMG, QUOTES, TEMPLATE, SEPARATORS, EMOJI, RTL)
SILO_SCRIPT = "</script><script>window.__pwned='silo'</script>"
HOSTILE_SILOS = ("<b>Parents</b> & \"Co\"", SILO_SCRIPT, "{{7*7}} Providers", "حي الشمال 🏘")
HOSTILE_ORGS = (IMG, SCRIPT, "O'Neil & Sons \"Ltd\"", "{{ org }} & Co", "עמותת הורים")
ALIAS = "Ana 🌻 <u>R</u>"
STUDY_NAME = "<script>window.__pwned='study'</script> Coalition & \"Friends\""
RELATION_LABEL = 'Work <i>together</i> & "trust"'
GROUP_LABEL = "Lived <experience> & 'voice'"


def _csv(rows: list[list[str]]) -> str:
    """CSV text with every field quoted (so commas, quotes and separators survive)."""
    return "".join(",".join('"' + str(v).replace('"', '""') + '"' for v in row) + "\n"
                   for row in rows)


def hostile_files() -> dict[str, str]:
    """cpower.toml, roster.csv and two survey files of the hostile study."""
    names = [*HOSTILE_NAMES, "Plain Member", "Second Plain", "Third Plain"]
    roster = [["member_id", "name", "organisation", "silo", "role", "lived", "grassroots",
               "consent"]]
    for i, name in enumerate(names):
        roster.append([f"h{i + 1:02d}", name, HOSTILE_ORGS[i % len(HOSTILE_ORGS)],
                       HOSTILE_SILOS[i % len(HOSTILE_SILOS)],
                       "Chair" if i == 0 else "Member", "yes" if i % 2 == 0 else "no",
                       "yes" if i % 3 == 0 else "no", "no" if i in (1, 5) else "yes"])
    ids = [row[0] for row in roster[1:]]
    ties = [["who", "alter", "answer"]]
    for k, who in enumerate(ids):
        for step in (1, 2, 4):
            ties.append([who, ids[(k + step) % len(ids)], "Weekly" if step == 1 else "Monthly"])
    # a typed name that is on nobody's roster: it reaches the data-quality section
    ties.append([ids[0], "<img src=x onerror=alert(1)> Stranger", "Weekly"])
    ties.append([ids[2], ALIAS, "Weekly"])                  # an alias of EMOJI's member
    matrix = [["who", *[f"Trust [{name}]" for name in names]]]
    for k, who in enumerate(ids):
        matrix.append([who, *["A lot" if (j - k) % len(ids) in (1, 3) else ""
                              for j in range(len(ids))]])
    toml = f"""\
[study]
name = {_toml_string(STUDY_NAME)}
seed = 3

[roster]
file = "roster.csv"
organisation = "organisation"
role = "role"
leadership_roles = ["Chair"]
consent = "consent"

[aliases]
{_toml_string(ALIAS)} = "h06"

[focus_groups]
lived_experience = {{ column = "lived", label = {_toml_string(GROUP_LABEL)} }}
grassroots = {{ column = "grassroots", label = "Grassroots" }}

[scales]
frequency = {{ "Never" = 0, "Monthly" = 2, "Weekly" = 3 }}
trust = {{ "A little" = 1, "A lot" = 2 }}

[relations.collaborate]
label = {_toml_string(RELATION_LABEL)}
scale = "frequency"

[relations.trust]
label = "Trust"
scale = "trust"

[waves.w1]
label = "Wave <1>"

[[waves.w1.surveys]]
file = "ties.csv"
platform = "plain"
respondent = "who"

[[waves.w1.surveys.questions]]
shape = "long"
relation = "collaborate"
alter = "alter"
value = "answer"

[[waves.w1.surveys]]
file = "trust.csv"
platform = "plain"
respondent = "who"

[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "trust"
columns = "Trust [{{member}}]"
"""
    return {"cpower.toml": toml, "roster.csv": _csv(roster), "ties.csv": _csv(ties),
            "trust.csv": _csv(matrix)}


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="session")
def hostile() -> SimpleNamespace:
    """The hostile strings of ``hostile_study``, for assertions."""
    return SimpleNamespace(SCRIPT=SCRIPT, IMG=IMG, NAMES=HOSTILE_NAMES, SILOS=HOSTILE_SILOS,
                           SILO_SCRIPT=SILO_SCRIPT, STUDY_NAME=STUDY_NAME, ALIAS=ALIAS,
                           RELATION_LABEL=RELATION_LABEL, GROUP_LABEL=GROUP_LABEL)


@pytest.fixture(scope="session")
def hostile_study(tmp_path_factory) -> Path:
    """The folder of the hostile study."""
    folder = tmp_path_factory.mktemp("hostile-study")
    for name, text in hostile_files().items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


# --- the browser -----------------------------------------------------------------------

def browser_unavailable() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return (f"{CHROMIUM} is missing: install Debian's chromium (apt-get install "
                f"chromium) to run the browser tests")
    return None


@pytest.fixture(scope="session")
def browser():
    reason = browser_unavailable()
    if reason:
        pytest.fail(f"the browser tests need Chromium: {reason}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ReportPage:
    """A report opened offline, with what it asked of the network and what went wrong."""

    def __init__(self, browser, path: Path, *, width: int = 1300, height: int = 900) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.route("**/*", self._route)
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("#map[data-ready=true]", state="attached",
                                    timeout=15_000)

    def _route(self, route) -> None:
        self.requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def wait_until(self, expression: str, arg=None, *, timeout: float = 10.0):
        """Poll ``expression`` until it is truthy (``page.wait_for_function`` evaluates
        strings with ``eval``, which the report's Content-Security-Policy forbids)."""
        deadline = time.monotonic() + timeout
        while not (value := self.js(expression, arg)):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {expression}")
            self.page.wait_for_timeout(25)
        return value

    def outside_requests(self) -> list[str]:
        return sorted({url for url in self.requests if not url.startswith("file://")})

    def assert_clean(self) -> None:
        """No request left file://, no console error, no page error."""
        assert self.outside_requests() == [], "the report asked for the network"
        assert self.errors == [], "the report logged errors"


@pytest.fixture
def open_report(browser) -> Iterator[Callable[..., ReportPage]]:
    """Factory: ``open_report(path) -> ReportPage``; every page must stay clean."""
    pages: list[ReportPage] = []

    def open_(path: Path, **viewport: int) -> ReportPage:
        page = ReportPage(browser, path, **viewport)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.context.close()
    for page in pages:
        page.assert_clean()
