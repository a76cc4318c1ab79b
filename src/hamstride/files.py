"""Reading a text file handed in from outside: bounded, UTF-8, every failure a clear
domain error naming the file (a device, a pipe or a huge file must not hang us)."""

from __future__ import annotations

from pathlib import Path

from hamstride.errors import InputError


def read_text(path: Path, *, what: str, limit: int, expected: str,
              error: type[InputError] = InputError) -> str:
    """The file's text; ``what`` names it in messages ("profile"), ``expected`` says
    what a text file should hold ("JSON or TOML")."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError as exc:
        raise error(f"{path}: no such {what} file.") from exc
    except IsADirectoryError as exc:
        raise error(f"{path}: is a directory, not a {what} file.") from exc
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror}).") from exc
    if len(raw) > limit:
        raise error(f"{path}: the {what} is larger than {limit} bytes.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not a text file (expected {expected}).") from exc
