"""The report's compiled-template cache: used when it can be, skipped when it cannot."""

from __future__ import annotations

import jinja2

from cpower_network.report import _CompiledTemplates, environment


def _environment(cache: jinja2.BytecodeCache) -> jinja2.Environment:
    base = environment()
    return jinja2.Environment(loader=base.loader, autoescape=True, trim_blocks=True,
                              lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True, bytecode_cache=cache)


def test_the_report_environment_keeps_compiled_templates() -> None:
    assert isinstance(environment().bytecode_cache, _CompiledTemplates)


def test_compiled_templates_are_stored_and_loaded_again(tmp_path) -> None:
    names = environment().list_templates()
    first = _environment(_CompiledTemplates(str(tmp_path)))
    compiled = {name: first.get_template(name) for name in names}
    stored = sorted(p.name for p in tmp_path.iterdir())
    assert len(stored) == len(names) and all(n.endswith(".cache") for n in stored)
    again = _environment(_CompiledTemplates(str(tmp_path)))
    for name in names:
        loaded = again.get_template(name)
        assert loaded.root_render_func.__code__.co_code == \
            compiled[name].root_render_func.__code__.co_code
    assert sorted(p.name for p in tmp_path.iterdir()) == stored   # nothing compiled anew


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    env = _environment(_CompiledTemplates(str(blocked)))
    page = env.from_string("{{ who }} & co").render(who="<b>")
    assert page == "&lt;b&gt; & co"
    assert env.get_template("report.html.j2") is not None
