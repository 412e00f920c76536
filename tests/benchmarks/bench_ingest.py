"""Reading hostile input: time to load a study as one cell, or one file, grows.

Run::

    python tests/benchmarks/bench_ingest.py [--cells 1,4,16,64] [--rows 500,2000,8000,32000]
                                            [--repeat 3]

Each series writes a small study (three members) into a temporary folder and times
``cpower_network.load_study`` in this process (imports done once, before timing), the
median of ``--repeat`` runs:

* **cell, unknown names**: one multi-select cell of K kilobytes of names nobody on the
  roster has, joined by ``", "`` (a 19 KB cell took 253 s before issue 14; a 59 KB cell
  of 3,000 unknown names did not finish in 300 s);
* **cell, known names**: the same size, every name a member (repeated);
* **cell, one long text**: one name-generator cell of K kilobytes with no separator;
* **cell, dashes**: a multi-select cell of K kilobytes of ``-`` (the non-member wording
  pattern was quadratic in such runs);
* **file, CSV rows**: a survey of N responses, each naming two members and one stranger;
* **file, XLSX rows**: the same survey as a workbook.

Besides the time, each row shows the time above the series' smallest input, and each
series ends with the slope of log(time) against log(size), fitted by least squares on the
time above a baseline run with an empty input (the fixed cost of loading a study): about
1 means time grows in proportion to the input (a series whose times stay at the baseline,
such as one long text, costs nothing measurable and its slope is noise). A last line times
the 5 KB roster with a stray cell at XFD1048576 (refused), and its peak traced memory in a
second, traced run.

Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import cpower_network as cp
from cpower_network.errors import CpowerError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))

# the study of the hostile-input tests, with one name-generator column
from test_hostile_files import MULTI, ROSTER

TOML = MULTI.replace('columns = ["adv1", "adv2"]', 'columns = ["adv1"]')


def strangers(size: int) -> str:
    """``size`` bytes of distinct made-up names joined by ", "."""
    letters = "bcdfghjklmnpqrstvwxz"
    names, length, i = [], 0, 0
    while length < size:
        name = (f"{letters[i % 20]}{letters[i // 20 % 20]}o{letters[i // 400 % 20]} "
                f"{letters[i // 8000 % 20]}ax{i}")
        names.append(name)
        length += len(name) + 2
        i += 1
    return ", ".join(names)[:size].rstrip(", ")


def repeated(text: str, size: int) -> str:
    return (text * (size // len(text) + 1))[:size].rstrip(", ")


def csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def survey_with_cell(size: int, kind: str) -> tuple[str, bytes]:
    if kind == "long":
        adv1, multi = "x" * size, "Kim Tran"
    else:
        adv1 = "Kim Tran"
        multi = {"strangers": strangers(size), "known": repeated("Kim Tran, Lee, Jr., ", size),
                 "dashes": "-" * size}[kind] if size else "Kim Tran"
    body = f"who,adv1,w\nm1,{csv_cell(adv1)},{csv_cell(multi)}\n"
    return "survey.csv", body.encode()


def survey_rows(rows: int, kind: str) -> tuple[str, bytes]:
    records = [["who", "adv1", "w"]]
    for i in range(rows):
        who = ("m1", "m2", "m3")[i % 3]
        records.append([who, "Kim Tran" if who != "m2" else "Ana Ruiz",
                        f"Ana Ruiz, Lee, Jr., Stranger {i}"])
    if kind == "csv":
        text = "".join(",".join(csv_cell(c) for c in r) + "\n" for r in records)
        return "survey.csv", text.encode()
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for record in records:
        sheet.append(record)
    out = io.BytesIO()
    book.save(out)
    return "survey.xlsx", out.getvalue()


def load_time(folder: Path, name: str, data: bytes, repeat: int) -> float:
    root = Path(tempfile.mkdtemp(dir=folder))
    (root / "cpower.toml").write_text(TOML.format(roster="roster.csv", survey=name),
                                      encoding="utf-8")
    (root / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (root / name).write_bytes(data)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        with contextlib.suppress(CpowerError):     # a refused file is timed too
            cp.load_study(root)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def slope(sizes: list[float], times: list[float]) -> float:
    points = [(math.log(s), math.log(t)) for s, t in zip(sizes, times, strict=True) if t > 0]
    if len(points) < 2:
        return float("nan")
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def series(title: str, unit: str, sizes: list[int], make: Callable[[int], tuple[str, bytes]],
           folder: Path, repeat: int) -> None:
    base_name, base_data = make(0)
    base = load_time(folder, base_name, base_data, repeat)
    print(f"\n{title} (baseline, empty input: {base * 1000:.0f} ms)")
    print(f"  {unit:>8} {'file KB':>9} {'seconds':>9} {'above base':>11}")
    above = []
    for size in sizes:
        name, data = make(size)
        seconds = load_time(folder, name, data, repeat)
        above.append(max(seconds - base, 1e-4))
        print(f"  {size:>8,} {len(data) / 1024:>9.1f} {seconds:>9.3f} {above[-1]:>11.3f}")
    print(f"  log-log slope of time above base: {slope(sizes, above):.2f}")


def stray_cell() -> None:
    from openpyxl import Workbook

    from cpower_network.ingest.tables import read_table

    book = Workbook()
    for row in ROSTER.replace('"Lee, Jr."', "Lee Jr").splitlines():
        book.active.append(row.split(","))
    book.active.cell(row=1048576, column=16384, value="x")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.xlsx"
        book.save(path)
        started = time.perf_counter()
        try:
            read_table(path, file="roster.xlsx")
        except CpowerError as error:
            outcome = error.message[:70] + "…"
        seconds = time.perf_counter() - started
        tracemalloc.start()      # a second run, traced (tracing slows it down)
        with contextlib.suppress(CpowerError):
            read_table(path, file="roster.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"\nXLSX roster of {path.stat().st_size / 1024:.1f} KB with a stray cell at "
              f"XFD1048576: {seconds:.2f} s, peak traced memory {peak / 2**20:.1f} MB\n"
              f"  {outcome}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cells", default="1,4,16,64", help="cell sizes in KB")
    parser.add_argument("--rows", default="500,2000,8000,32000", help="survey rows")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args(argv)
    cells = [int(k) * 1024 for k in options.cells.split(",")]
    rows = [int(n) for n in options.rows.split(",")]
    cp.load_study(cp.example_study_path())      # imports and caches warm
    print(f"python {sys.version.split()[0]}, median of {options.repeat} runs")
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        for kind, title in (("strangers", "cell: unknown names joined by ', '"),
                            ("known", "cell: member names joined by ', '"),
                            ("long", "cell: one long text in a name box"),
                            ("dashes", "cell: a run of dashes in a multi-select")):
            series(title, "bytes", cells,
                   lambda size, kind=kind: survey_with_cell(size, kind), where,
                   options.repeat)
        for kind in ("csv", "xlsx"):
            series(f"file: {kind.upper()} survey rows", "rows", rows,
                   lambda n, kind=kind: survey_rows(n, kind), where, options.repeat)
    stray_cell()


if __name__ == "__main__":
    main()
