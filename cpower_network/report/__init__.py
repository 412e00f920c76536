"""The interactive report: one self-contained, offline HTML file.

:func:`render_report` turns :class:`~cpower_network.results.model.Results` into HTML through
one jinja2 environment (autoescaping on: every survey string is escaped); the map data
travel as JSON in a ``<script type="application/json">`` block with ``<``, ``>`` and
``&`` escaped, so no survey string can close the script or become markup. Every script
and style is inlined: vis-network comes from the copy pyvis ships in its package, and
nothing is fetched from the network. There are no timestamps: the same results give
the same bytes.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib.util
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from ..errors import CpowerError, UsageError
from ..results.model import Results
from .view import AUDIENCES, build_view

VIS_NETWORK_VERSION = "9.1.2"


def safe_json(data: Any) -> str:
    """JSON that can sit inside ``<script>``: sorted keys, ``<>&`` and line separators
    escaped.

    >>> safe_json({"name": "</script><img src=x>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """jinja2's cache of compiled templates, in its per-user folder of the system's temporary
    directory: compiling the report's templates costs about 0.1 s a run, loading them 3 ms.
    It holds the templates' code only, never a study's data; an entry is keyed by the
    template's source, so an upgrade never loads a stale one. Best effort: a cache that
    cannot be read or written (a read-only or full disk) is skipped, and the templates are
    compiled."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_templates() -> jinja2.BytecodeCache | None:
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):      # no safe per-user folder: compile every run
        return None


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one jinja2 environment: package templates, autoescape on, report filters."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("cpower_network.report", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             bytecode_cache=_compiled_templates())
    env.filters["safe_json"] = safe_json
    return env


@lru_cache(maxsize=4)
def asset(name: str) -> str:
    """An inlined asset: our CSS/JS, or vis-network from pyvis's package."""
    if name == "vis-network.min.js":
        # Found without importing pyvis, which imports IPython (0.12 s) for nothing we use.
        spec = importlib.util.find_spec("pyvis")
        folders = list(spec.submodule_search_locations or []) if spec else []
        package = Path(folders[0] if folders else "pyvis")
        path = package / "lib" / f"vis-{VIS_NETWORK_VERSION}" / name
        if not path.is_file():
            raise CpowerError(f"vis-network {VIS_NETWORK_VERSION} was not found in the pyvis "
                              f"package ({path}); reinstall pyvis 0.3.2")
        return path.read_text(encoding="utf-8")
    return resources.files("cpower_network.report").joinpath("assets", name).read_text(
        encoding="utf-8")


def render_report(results: Results, *, audience: str = "evaluator") -> str:
    """The report as one HTML string.

    Parameters
    ----------
    results : Results
        From :func:`cpower_network.analyze`.
    audience : {"evaluator", "retreat"}
        ``evaluator`` shows everything; ``retreat`` shows group- and silo-level figures
        only, labels only members who consented, in large type, with a presentation mode.
    """
    if audience not in AUDIENCES:
        raise UsageError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    view = build_view(results, audience=audience)
    return render_page("report.html.j2", view, view.map)


def render_page(template: str, view: Any, map_data: dict[str, Any]) -> str:
    """Render a report template with the inlined assets, the map data and the policy
    that lets only those scripts run."""
    scripts = [asset("vis-network.min.js"), asset("report.js")]
    return environment().get_template(template).render(
        view=view, css=asset("report.css"), vis=scripts[0], script=scripts[1],
        map_json=safe_json(map_data), csp=content_security_policy(scripts))


def content_security_policy(scripts: list[str]) -> str:
    """A policy that forbids every network request and runs only our own scripts.

    Scripts are allowed by their SHA-256 hash, so even an injected inline event handler
    (``onerror=…``) could not run; ``default-src 'none'`` blocks fetches, images from
    URLs, fonts and frames.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode()
        + "'" for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "img-src data: blob:; connect-src 'none'; font-src 'none'; form-action 'none'; "
            "base-uri 'none'")


def write_report(results: Results, path: str | Path, *, audience: str = "evaluator") -> Path:
    """Write the report to ``path`` (atomically: a failed run leaves no partial file)."""
    return write_html(render_report(results, audience=audience), path)


def write_html(html: str, path: str | Path) -> Path:
    """Write ``html`` to ``path`` atomically, with the usual file permissions
    (:func:`~cpower_network.common.files.write_atomically`: a failed or interrupted
    run leaves no partial file, and an earlier report as it was)."""
    from ..common.files import write_atomically

    target = Path(path)
    write_atomically({target: html.encode("utf-8")})
    return target
