"""A small TOML writer for JSON-like documents (the profile): strings, numbers, booleans,
lists of those, tables and lists of tables. ``None`` values are left out (TOML has no null).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def dumps(document: Mapping[str, Any], *, header: str = "") -> str:
    """``document`` as TOML text, scalars first, then tables, then arrays of tables."""
    lines = [f"# {line}" for line in header.splitlines()]
    _table(document, (), lines)
    return "\n".join(lines).strip("\n") + "\n"


def string(text: str) -> str:
    """A TOML basic string."""
    return '"' + "".join(_escape(ch) for ch in text) + '"'


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if ord(ch) < 0x20 or ord(ch) == 0x7F:
        return f"\\u{ord(ch):04X}"
    return ch


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else string(key)


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(map(_is_table, value))


def _table(table: Mapping[str, Any], path: tuple[str, ...], lines: list[str]) -> None:
    items = [(k, v) for k, v in table.items() if v is not None]
    for key, value in items:
        if not _is_table(value) and not _is_table_list(value):
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in items:
        if _is_table(value) and _has_content(value):
            if _has_scalars(value):
                lines += ["", "[" + ".".join(map(_key, (*path, key))) + "]"]
            _table(value, (*path, key), lines)
    for key, value in items:
        if _is_table_list(value):
            for entry in value:
                lines += ["", "[[" + ".".join(map(_key, (*path, key))) + "]]"]
                _table(entry, (*path, key), lines)


def _has_content(table: Mapping[str, Any]) -> bool:
    return any(v is not None and (not _is_table(v) or _has_content(v)) for v in table.values())


def _has_scalars(table: Mapping[str, Any]) -> bool:
    """Whether the table needs its own header; sub-tables carry their full dotted name."""
    return any(v is not None and not _is_table(v) and not _is_table_list(v)
               for v in table.values())


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"TOML cannot hold the number {value}")
        return repr(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items() if v is not None)
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"TOML writer cannot hold {type(value).__name__}")
