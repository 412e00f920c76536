"""A screenshot of cpower's results as a Jupyter notebook shows them (a script, not a test).

Run from the repository root::

    python visuals/make_notebook_visual.py [--out visuals/notebook_repr.png] [--width 1000]

With ``nbconvert``, ``nbclient`` and ``ipykernel`` installed (``pip install nbconvert
nbclient ipykernel``), it executes a three-cell notebook on the bundled example study
(load it, analyse it with seed 1, look up one relation) in a real kernel and converts it
to HTML with nbconvert's JupyterLab template, so the picture is what a notebook shows:
``results._repr_html_()`` under its ``Out[…]`` prompt. Without them it renders
``results._repr_html_()`` in a minimal page styled like a notebook's output cell.

Either page is opened offline in headless Debian Chromium (``/usr/bin/chromium``; every
request that is not ``file://`` is aborted, so the template's CDN scripts never load) and
the notebook part is saved as a PNG. Page errors stop the script with an error.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "report"))

from make_visuals import CHROMIUM, CHROMIUM_ARGS, close_checked, open_offline  # noqa: E402

#: The notebook's cells: what a user types first.
CELLS = [
    "import cpower_network as cp\n"
    "study = cp.load_study(cp.example_study_path())\n"
    "study",
    "results = cp.analyze(study, seed=1)\n"
    "results",
    'results.wave.relations["collaborate"]',
]

#: The fallback page: a notebook-like input/output layout, no script.
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cpower in a notebook</title>
<style>
body {{ margin: 0; padding: 24px 32px; background: #fff; color: #212121;
       font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; }}
.cell {{ display: grid; grid-template-columns: 72px 1fr; gap: 0 8px; margin: 0 0 14px; }}
.prompt {{ font: 13px/1.5 ui-monospace, 'DejaVu Sans Mono', monospace; color: #307fc1;
          text-align: right; padding-top: 6px; }}
.prompt.out {{ color: #bf5b3d; }}
.input {{ background: #f7f7f7; border: 1px solid #e0e0e0; border-radius: 2px;
         padding: 6px 10px; font: 13px/1.5 ui-monospace, 'DejaVu Sans Mono', monospace;
         white-space: pre; }}
.output {{ padding: 6px 0; }}
</style></head>
<body><div id="notebook">
<div class="cell"><div class="prompt">In&nbsp;[1]:</div><div class="input">{code}</div></div>
<div class="cell"><div class="prompt out">Out[1]:</div><div class="output">{output}</div>
</div></div></body></html>
"""


def notebook_page(folder: Path) -> Path:
    """Execute :data:`CELLS` in a kernel and convert the notebook to HTML in
    ``folder``; returns the HTML file."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise SystemExit(f"the notebook failed: {output['ename']}: {output['evalue']}")
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    # nbconvert's page loads require.js and MathJax from a CDN; the shot is taken offline
    body = re.sub(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', "", body)
    body = re.sub(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", "",
                  body, flags=re.S)
    page = folder / "notebook.html"
    page.write_text(body, encoding="utf-8")
    return page


def plain_page(folder: Path) -> Path:
    """The fallback: ``results._repr_html_()`` in :data:`PAGE`; returns the HTML file."""
    import cpower_network as cp

    results = cp.analyze(cp.load_study(cp.example_study_path()), seed=1)
    code = "import cpower_network as cp\nresults = cp.analyze(cp.load_study(" \
           "cp.example_study_path()), seed=1)\nresults"
    page = folder / "notebook.html"
    page.write_text(PAGE.format(code=html.escape(code), output=results._repr_html_()),
                    encoding="utf-8")
    return page


def have_nbconvert() -> bool:
    try:
        import ipykernel  # noqa: F401
        import nbclient  # noqa: F401
        import nbconvert  # noqa: F401
    except ImportError:
        return False
    return True


def shoot(page: Path, target: Path, *, width: int) -> None:
    """Open ``page`` offline in Chromium and save its notebook part as ``target``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context, tab, problems = open_offline(browser, page, width=width, height=800,
                                              ready=None)
        box = tab.evaluate("""() => {
            const main = document.querySelector('main') || document.querySelector(
                '#notebook') || document.body;
            const r = main.getBoundingClientRect();
            return {x: 0, y: Math.max(0, r.top + window.scrollY - 8), width: window.innerWidth,
                    height: r.height + 24};
        }""")
        target.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(target), full_page=True, clip=box)
        close_checked(context, page, problems)
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "visuals" / "notebook_repr.png")
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--plain", action="store_true",
                        help="render the plain page even when nbconvert is installed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cpower-notebook-") as scratch:
        folder = Path(scratch)
        page = plain_page(folder) if args.plain or not have_nbconvert() \
            else notebook_page(folder)
        shoot(page, args.out, width=args.width)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
