"""The shipped documentation holds together, and cites only what ships.

Every relative link of the README and of ``docs/*.md`` (and of the Markdown shipped in
``surveys/`` and ``examples/``) points to a file of the repository and, when it has an
``#anchor``, to a heading of that file as GitHub names it. No shipped file names one of
the design notes the project was written from: they do not ship, so a reader could not
follow the reference. Every ``docs/methods.md §Section`` the package cites is a heading
of ``docs/methods.md``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Design notes the project was written from, which do not ship.
DESIGN_NOTES = ("METRICS.md", "INDICATORS.md", "SURVEYS.md", "STATISTICS.md",
                "ARCHITECTURE.md", "LAYOUT.md")
#: What ships: the package, the instruments, the example, the documentation, the README.
SHIPPED = ("cpower_network", "surveys", "examples", "docs", "README.md")
SKIPPED_PARTS = {"__pycache__", ".hypothesis", ".pytest_cache"}
SKIPPED_SUFFIXES = {".pyc", ".pyo"}

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
#: Inline links and images: [text](target) or [text](target "title"); <target> too.
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]"
                         r"\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$")
CODE_SPAN = re.compile(r"(`+)([^`]+?)\1")
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # https:, mailto:, …


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading (github-slugger): the rendered text in lower
    case, punctuation and symbols removed, each space a hyphen.

    >>> github_slug("Weaver's worklist"), github_slug("Tests and p-values")
    ('weavers-worklist', 'tests-and-p-values')
    >>> github_slug('`[[waves.<key>.surveys.questions]] shape = "long"`')
    'waveskeysurveysquestions-shape--long'
    """
    parts = []
    for index, part in enumerate(re.split(r"(`+.+?`+)", heading)):
        if index % 2:       # a code span: its text, as written
            parts.append(part.strip("`"))
            continue
        part = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", part)   # a link: its text
        part = re.sub(r"<[^>]+>", "", part)                          # an HTML tag
        parts.append(part.replace("*", ""))
    text = "".join(parts).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def prose_lines(text: str) -> list[str]:
    """The lines of a Markdown text outside fenced code blocks."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings, numbered on repeats as GitHub does."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in prose_lines(path.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if match is None:
            continue
        slug = github_slug(match.group(2))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(path: Path) -> list[str]:
    """The link targets of a Markdown file (outside code blocks and code spans), in
    order; a link's text may run over several lines."""
    targets, prose = [], []
    for line in prose_lines(path.read_text(encoding="utf-8")):
        reference = REFERENCE_LINK.match(line)
        if reference:
            targets.append(reference.group(1))
        else:
            prose.append(line)
    bare = CODE_SPAN.sub("", "\n".join(prose))
    return [match.group(1) for match in INLINE_LINK.finditer(bare)] + targets


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    """Each relative link of ``path`` whose file, or whose heading, does not exist."""
    broken = []
    for target in links(path):
        if not target or EXTERNAL.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path.resolve()
        if not linked.exists() or not linked.is_relative_to(root.resolve()):
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    return broken


def documents() -> list[Path]:
    """The Markdown that ships: README.md, docs/*.md, and that of surveys/ and examples/."""
    found = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             *sorted((ROOT / "surveys").glob("*.md")),
             *sorted((ROOT / "examples").rglob("*.md"))]
    return [path for path in found if not SKIPPED_PARTS & set(path.parts)]


def shipped_files() -> list[Path]:
    files = []
    for name in SHIPPED:
        path = ROOT / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        files += [p for p in candidates if p.is_file() and not SKIPPED_PARTS & set(p.parts)
                  and p.suffix not in SKIPPED_SUFFIXES]
    return files


def contents(path: Path) -> list[tuple[str, bytes]]:
    """A file's bytes, or each member of a zip container (an .xlsx workbook) unpacked."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04" and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return [(f"{path.name}:{name}", archive.read(name))
                    for name in archive.namelist()]
    return [(path.name, data)]


# -- the checker itself ----------------------------------------------------------------

def test_slugs_follow_github():
    assert github_slug("Small groups and measures not measured") == \
        "small-groups-and-measures-not-measured"
    assert github_slug("E-I index") == "e-i-index"
    assert github_slug("`[focus_groups.<key>]`") == "focus_groupskey"
    assert github_slug("Configuration reference (cpower.toml)") == \
        "configuration-reference-cpowertoml"
    assert github_slug("Writing cpower.toml from the exports") == \
        "writing-cpowertoml-from-the-exports"


def test_a_broken_link_or_heading_is_found(tmp_path):
    (tmp_path / "other.md").write_text("# Title\n\n## Part one\n\n## Part one\n",
                                       encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n[ok](other.md#part-one) [repeat](other.md#part-one-1) [self](#page)\n"
        "[no file](missing.md) [no heading](other.md#part-two) [web](https://example.org)\n"
        "`[in code](nowhere.md)`\n\n```text\n[in a block](nowhere.md)\n```\n\n"
        "[ref]: other.md#title\n[bad ref]: other.md#nothing\n", encoding="utf-8")
    assert broken_links(page, tmp_path) == [
        "missing.md: no such file", "other.md#part-two: no heading #part-two in other.md",
        "other.md#nothing: no heading #nothing in other.md"]


# -- the documentation -----------------------------------------------------------------

def test_the_documents_exist_and_the_readme_links_them():
    for name in ("README.md", "methods.md", "surveys.md", "configuration.md"):
        assert (ROOT / "docs" / name).is_file(), name
    readme_links = set(links(ROOT / "README.md"))
    for name in ("docs/README.md", "docs/methods.md", "docs/surveys.md",
                 "docs/configuration.md"):
        assert name in readme_links, f"README.md does not link {name}"
    index_links = {target.partition("#")[0] for target in links(ROOT / "docs" / "README.md")}
    assert {"methods.md", "surveys.md", "configuration.md"} <= index_links


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(path):
    assert broken_links(path) == []


def test_no_shipped_file_names_a_design_note():
    files = shipped_files()
    assert any(path.suffix == ".py" for path in files)
    naming = [f"{path.relative_to(ROOT)} ({part}): {note}"
              for path in files for part, data in contents(path)
              for note in DESIGN_NOTES if note.encode() in data]
    assert naming == []


def test_every_methods_section_the_package_cites_is_a_heading():
    """``docs/methods.md §Section`` in docstrings, comments and templates (wrapped lines
    joined) starts with a heading of docs/methods.md."""
    headings = [line.lstrip("#").strip() for line in prose_lines(
        (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")) if HEADING.match(line)]
    cited = []
    for path in shipped_files():
        if path.parts[len(ROOT.parts)] != "cpower_network" or \
                path.suffix not in (".py", ".j2", ".md", ".js"):
            continue
        flat = re.sub(r"\s*\n\s*(?:#:?\s*)?", " ", path.read_text(encoding="utf-8"))
        for match in re.finditer(r"docs/methods\.md §", flat):
            after = flat[match.end():match.end() + 200]
            cited.append((path.relative_to(ROOT), after))
    assert cited
    unknown = [f"{path}: §{after[:50]}" for path, after in cited
               if not any(after.startswith(heading) for heading in headings)]
    assert unknown == []
