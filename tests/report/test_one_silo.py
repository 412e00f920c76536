"""A coalition whose members are all in one silo: the E-I index is −1 by definition and
says nothing about crossing silos, so the report shows it as not measured instead of
"E-I index −1, expected at random −1"."""

from __future__ import annotations

import csv
import html
import shutil

import cpower_network as cp
from cpower_network.report import render_report
from cpower_network.report.sections import ONE_SILO


def test_one_silo_shows_the_ei_index_as_not_measured(tmp_path):
    folder = tmp_path / "study"
    shutil.copytree(cp.example_study_path(), folder)
    roster = folder / "roster.csv"
    with roster.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["sector"] = "Everyone"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    results = cp.analyze(cp.load_study(folder), seed=1)
    assert results.wave.relations["collaborate"].ei.value == -1.0    # the measure itself
    page = html.unescape(render_report(results))
    silos = page[page.index('<section id="silos"'):page.index("</section>",
                                                                page.index('id="silos"'))]
    shown = silos.count(f"<dt>E-I index</dt><dd>{ONE_SILO}</dd>")
    assert shown == len([r for r in results.wave.relations.values() if r.ei.by_group]) >= 3
    assert "<dt>E-I index</dt><dd>-1" not in silos and "<dd>−1</dd>" not in silos
