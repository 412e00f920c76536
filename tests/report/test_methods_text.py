"""The methods appendix states every choice a UCINET or R user would otherwise assume,
and cites only public works and documents that ship in this repository.

The rendered appendix of the bundled example's report (both audiences) must say, in
words: transitivity, path lengths and diameter on the undirected projection; reciprocity
counted by arcs, with the dyadic definition beside it and which one is shown; degree
centralisation on in-degree, over (n − 1)² (undirected: (n − 1)(n − 2)); two-sided
permutation tests with p = (k + 1)/(B + 1) from at least 1,000 draws; Benjamini–Hochberg
q-values within the report, "larger than chance" meaning q < 0.05; the Gini's range;
the E-I's expected value conditioned on the arcs respondents sent and its stratified
permutation; the dyad-level swap test of change between waves; Louvain over several
seeds and AMI with isolates left out; small groups flagged and suppressed; measures
"not measured" with their reason. Every ``*.md`` the appendix names exists in the
repository, ``docs/methods.md`` among them, and every section it cites is a heading there.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import networkx as nx
import pytest

from cpower_network.report.methods import DOC, METHODS, WAVE_METHODS, methods_for

ROOT = Path(__file__).resolve().parents[2]
#: Design notes the project was written from: they do not ship, so nothing cites them.
DESIGN_NOTES = ("METRICS.md", "INDICATORS.md", "SURVEYS.md", "STATISTICS.md",
                "ARCHITECTURE.md", "LAYOUT.md")
MARKDOWN = re.compile(r"[\w./-]*\w\.md\b")
SECTION = re.compile(r"docs/methods\.md §([^;]+?)(?:;|\.$|\.\s)")

#: Each stated choice: what it is, and phrases the appendix must contain (spaces
#: squeezed; compared as written, so a wording change is a deliberate edit here too).
CHOICES = {
    "paths and transitivity on the undirected projection": [
        "transitivity, average path length and diameter are computed on the undirected "
        "projection",
        "Transitivity, clustering, average path length and diameter use the undirected "
        "projection"],
    "reciprocity by arcs, the dyadic value beside it, and which is shown": [
        "Reciprocity is counted by arcs", "r = 2M / (2M + A)",
        "dyadic R_d = M / (M + A) = r / (2 − r)",
        "that is the number the report shows; the dyadic reciprocity"],
    "degree centralisation on in-degree": [
        "Degree centralisation is Freeman's on in-degree, over (n − 1)²",
        "Degree centralisation is on in-degree",
        "on an undirected relation, Freeman's undirected one, over (n − 1)(n − 2)"],
    "two-sided permutation tests, (k + 1)/(B + 1), at least 1,000 draws": [
        "Every test is two-sided", "p = (k + 1) / (B + 1)",
        "A p-value is printed only from at least 1,000 draws", "Phipson & Smyth (2010)",
        "not testable with these data"],
    "Benjamini–Hochberg q-values; larger than chance = q < 0.05": [
        "Benjamini–Hochberg q-values", "within each report's family of tests",
        "what the report calls larger than chance is what has q < 0.05",
        "Benjamini & Hochberg (1995)"],
    "the Gini's range": [
        "at most 1 − 1/n", "it is not the corrected Gini (× n/(n − 1)), whose maximum is 1"],
    "E-I expected value and stratified permutation": [
        "conditioned on who sent ties: it is the exact mean of the E-I over the "
        "relabellings the test draws",
        "p_ab = Σ_g c_ag·c_bg / (n_a·n_b) (a ≠ b)",
        "permutes silo labels within strata (respondents among respondents, "
        "non-respondents among non-respondents)",
        "equivalent to QAP on the respondent rows", "Krackhardt (1988)",
        "response rates are shown beside the E-I"],
    "wave changes: dyad-level swap among stayers; out-ties on both-wave respondents": [
        "swaps the two waves' tie states dyad by dyad among stayers",
        "compared on members who answered in both waves"],
    "communities: Louvain over several seeds, best modularity, AMI without isolates": [
        "run from several seeds", "keeping the partition with the best modularity",
        "adjusted mutual information (AMI, corrected for chance)",
        "with isolates left out", "Vinh, Epps & Bailey (2010)", "Traag, Waltman & van Eck (2019)"],
    "small groups flagged and suppressed, p-values withheld": [
        "Groups under 5 members", "flagged in every table and chart",
        "Groups under 3", "suppressed from every shared view",
        "their p-values are withheld in the evaluator view too"],
    "undefined measures are not measured, with their reason": [
        "is 'not measured' with its reason, never a score or zero"],
    "the project's own methods documentation": ["docs/methods.md §"],
}


def squeeze(text: str) -> str:
    return " ".join(text.split())


def methods_section(page: str) -> str:
    """The plain text of the report's methods section."""
    start = page.index('<section id="methods"')
    end = page.index("</section>", start)
    return squeeze(html.unescape(re.sub(r"<[^>]+>", " ", page[start:end])))


@pytest.fixture(scope="module")
def appendices(demo_reports) -> dict[str, str]:
    return {audience: methods_section(path.read_text(encoding="utf-8"))
            for audience, path in demo_reports.items()}


@pytest.mark.parametrize("choice", sorted(CHOICES))
def test_the_appendix_states_each_choice(appendices, choice):
    for audience, text in appendices.items():
        missing = [phrase for phrase in CHOICES[choice] if squeeze(phrase) not in text]
        assert not missing, f"{audience} appendix, {choice}: missing {missing}"


def test_the_appendix_names_docs_methods_md(appendices):
    assert DOC == "docs/methods.md" and (ROOT / DOC).is_file()
    for text in appendices.values():
        assert "docs/methods.md" in text


def test_every_markdown_file_the_appendix_names_exists(appendices):
    for audience, text in appendices.items():
        named = set(MARKDOWN.findall(text))
        assert named, "the appendix cites no document of the repository"
        absent = sorted(name for name in named if not (ROOT / name).is_file())
        assert not absent, f"{audience} appendix cites documents not in the repository: " \
                           f"{absent}"
        assert not [note for note in DESIGN_NOTES if note in text]


def _all_methods():
    undirected = methods_for([nx.DiGraph(label="Advice"),
                              nx.Graph(label="Work together", reciprocity="both")])
    return (*WAVE_METHODS, *METHODS, *undirected)


def test_no_entry_cites_a_document_that_does_not_ship():
    """Also the entries a report of the example does not show (wave comparison,
    undirected relations)."""
    for method in _all_methods():
        text = " ".join((method.definition, method.formula, method.reference))
        absent = [name for name in MARKDOWN.findall(text) if not (ROOT / name).is_file()]
        assert not absent, f"{method.name!r} cites {absent}"


def test_every_cited_section_is_a_heading_of_docs_methods_md():
    headings = {line.lstrip("#").strip()
                for line in (ROOT / DOC).read_text(encoding="utf-8").splitlines()
                if line.startswith("#")}
    cited = set()
    for method in _all_methods():
        cited.update(s.strip() for s in SECTION.findall(method.reference + " "))
    assert cited, "no entry cites a section of docs/methods.md"
    assert sorted(cited - headings) == []


def test_every_entry_has_a_reference():
    for method in _all_methods():
        assert method.reference.strip(), method.name


def test_the_methods_document_carries_the_stated_choices():
    """docs/methods.md, which the appendix cites, says the same things at length."""
    text = squeeze((ROOT / DOC).read_text(encoding="utf-8"))
    for phrase in ("undirected projection", "R_d = M / (M + A)", "(n − 1)²",
                   "(n − 1)(n − 2)", "two-sided", "p = (k + 1) / (B + 1)",
                   "at least 1,000 draws", "q < 0.05", "1 − 1/n",
                   "p_aa = Σ_g c_ag (c_ag − 1) / (n_a (n_a − 1))", "within strata",
                   "dyad by dyad among stayers",
                   "answered in both waves", "adjusted mutual information",
                   "Isolates (members without a tie", "fewer than 5 members",
                   "fewer than 3 members", "not measured", "Group & Organization Management"):
        assert phrase in text, phrase
