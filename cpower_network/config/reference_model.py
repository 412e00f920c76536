"""The vocabulary the configuration reference is written in.

A :class:`Key` is one key of a section (its type, default, example and meaning), a
:class:`Section` one table of ``cpower.toml`` or one question shape, and
:func:`toml_value` writes a default as TOML. The builders ``_text``, ``_choice``,
``_shape``, ``_relation`` and ``_member_columns`` make the keys and question sections
:data:`cpower_network.config.reference.SECTIONS` is written with.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Key:
    """One key of a section.

    Attributes
    ----------
    name : str
        The key as written in ``cpower.toml``.
    type : str
        What it holds, in words (``"text"``, ``"a number"``, ``"a list of texts"`` …).
    example : str
        A valid TOML value for the key (empty for a key written as its own tables).
    doc : str
        What the key means, in a sentence or two.
    default : object
        The value used when the key is not given (``None``: not set).
    note : str
        The default in words when it is not one fixed value ("the folder's name").
    required : bool
        The key must be given.
    choices : tuple of str
        The allowed values of a key that takes one of a few texts.
    tables : str
        The section documenting the tables this key holds (``"surveys"``).
    """

    name: str
    type: str
    example: str
    doc: str
    default: Any = None
    note: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    tables: str = ""

    @property
    def default_text(self) -> str:
        """The default as shown in the reference."""
        if self.required:
            return "required"
        if self.note:
            return self.note
        return "not set" if self.default is None else toml_value(self.default)

    @property
    def example_text(self) -> str:
        """The example as shown in the reference: ``key = value``."""
        return f"see {self.tables}" if self.tables else f"{self.name} = {self.example}"

    @property
    def example_cell(self) -> str:
        """The example in a Markdown table: the value in code, or where its tables are."""
        return f"see `{self.tables}`" if self.tables else f"`{self.example}`"

    @property
    def default_cell(self) -> str:
        """The default in a Markdown table: a value in code, words as they are."""
        fixed = not (self.required or self.note or self.default is None)
        return f"`{self.default_text}`" if fixed else self.default_text


@dataclass(frozen=True)
class Section:
    """One table of ``cpower.toml`` (or one question shape).

    Attributes
    ----------
    name : str
        Its name for ``cpower config NAME`` (``"roster"``, ``"questions.long"``).
    table : str
        How it is written in ``cpower.toml`` (``"[relations.<key>]"``).
    doc : str
        What the section is for.
    keys : tuple of Key
        The keys it allows (empty for a table of free entries).
    entries : str
        For a table of free entries: what each entry looks like.
    example : str
        A valid TOML snippet; all sections' snippets together make one cpower.toml.
    """

    name: str
    table: str
    doc: str
    keys: tuple[Key, ...] = ()
    entries: str = ""
    example: str = ""

    @property
    def top(self) -> str:
        """The top-level table the section lives in (``"waves"`` for a question)."""
        return self.table.strip("[").split("]")[0].split(".")[0]


def toml_value(value: Any) -> str:
    """A Python value written as TOML.

    >>> toml_value(["a", "b"]), toml_value(False), toml_value(0.7), toml_value({})
    ('["a", "b"]', 'false', '0.7', '{}')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    return repr(value)


def _text(name: str, example: str, doc: str, **more: Any) -> Key:
    return Key(name, "text", example, doc, **more)


def _choice(name: str, choices: tuple[str, ...], example: str, doc: str, **more: Any) -> Key:
    return Key(name, "one of " + ", ".join(choices), example, doc, choices=choices, **more)


def _shape(shape: str, doc: str, keys: tuple[Key, ...], example: str) -> Section:
    head = Key("shape", "text", f'"{shape}"', "The question's shape.", required=True)
    return Section(f"questions.{shape}", f'[[waves.<key>.surveys.questions]] shape = "{shape}"',
                   doc, (head, *keys),
                   example=f'[[waves.wave1.surveys.questions]]\nshape = "{shape}"\n{example}')


def _relation(doc: str, example: str = '"collaborate"', note: str = "") -> Key:
    """The ``relation`` key of a question: required unless ``note`` says when it is not."""
    return _text("relation", example, doc, required=not note, note=note)


def _member_columns(who: str, column: str, columns: str) -> tuple[Key, Key]:
    """``column`` (names joined in one cell) and ``columns`` (one 0/1 column per member)."""
    return (_text("column", column, f"One cell naming {who}, joined by separator.",
                  note="required without columns"),
            _text("columns", columns, "Header pattern of one 0/1 column per member, "
                  "{member} where the member's id, name or alias appears.",
                  note="required without column"))
