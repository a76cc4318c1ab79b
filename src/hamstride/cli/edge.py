"""The edge of the command line: the one error mapping, and files read or written with
clear messages. Light on purpose (typer and the standard library only).

Exit statuses: 0 success, 1 ``check`` found violations (or the user aborted a prompt),
2 bad input of any kind, 70 a bug in hamstride (``HAMSTRIDE_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from typer._click import exceptions as click_errors  # typer vendors click
from typer.core import TyperGroup

from hamstride.errors import HamstrideError, InputError
from hamstride.files import read_text as read_bounded

OK = 0
FOUND_PROBLEMS = 1
BAD_INPUT = 2
INTERNAL = 70
DEBUG_ENV = "HAMSTRIDE_DEBUG"
MAX_READ_BYTES = 20_000_000


class EdgeGroup(TyperGroup):
    """The app's root command: runs click in non-standalone mode and maps every error."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(args, prog_name, complete_var, False, windows_expand_args,
                                  **extra)
            status = result if isinstance(result, int) else OK
        except Exception as exc:
            status = report(exc)
        if not standalone_mode:
            return status
        sys.exit(status)


def report(exc: Exception) -> int:
    """Print one paragraph about ``exc`` on stderr; the exit status it maps to."""
    if isinstance(exc, click_errors.NoArgsIsHelpError):
        typer.echo(exc.format_message())
        return OK
    if isinstance(exc, BrokenPipeError):
        _silence_stdout()
        return FOUND_PROBLEMS
    if isinstance(exc, typer.Abort):
        _error("aborted.")
        return FOUND_PROBLEMS
    if isinstance(exc, click_errors.ClickException):
        _error(_usage_message(exc))
        return BAD_INPUT
    if isinstance(exc, HamstrideError):
        also = "".join(f" Also {p.field}: {p.message}." for p in exc.problems[1:])
        text = exc.message + also  # the first problem is the message
        if exc.cli_hint:
            text += ("" if text.rstrip().endswith((".", "?", "!")) else ".") + " " + exc.cli_hint
        _error(text)
        return BAD_INPUT
    if isinstance(exc, OSError):
        _error(_os_message(exc))
        return BAD_INPUT
    if os.environ.get(DEBUG_ENV):
        raise exc
    _error(f"internal error ({type(exc).__name__}: {exc}). This is a bug in hamstride; "
           f"run again with {DEBUG_ENV}=1 to see the traceback and please report it.")
    return INTERNAL


def _error(message: str) -> None:
    typer.echo("error: " + " ".join(message.split()), err=True)


def _usage_message(exc: click_errors.ClickException) -> str:
    message = exc.format_message().replace("Value error, ", "")  # typer's enum choices
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click_errors.UsageError) and ctx is not None:
        message = f"{message.rstrip('.')}. See `{ctx.command_path} --help`."
    return message


def _os_message(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}."


def _silence_stdout() -> None:
    """After a closed pipe (``hamstride plan ... | head``), make the final flush a no-op."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (tests); nothing to flush there
        pass
    finally:
        os.close(devnull)


def read_text(path: Path, *, what: str) -> str:
    """A UTF-8 text file's content; every foreseeable problem is an InputError."""
    return read_bounded(path, what=what, limit=MAX_READ_BYTES, expected=f"a JSON {what}")


def check_writable(path: Path, *, what: str, force: bool = True) -> None:
    """Fail early, before any work, when ``path`` cannot be the output file."""
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give a file name for the {what}.")
    if not path.parent.exists():
        raise InputError(f"{path}: the folder {path.parent} does not exist.")
    if not path.parent.is_dir():
        raise InputError(f"{path}: {path.parent} is not a folder.")
    if not force and path.exists():
        raise InputError(f"{path} already exists; use --force to overwrite it.")


def write_text(path: Path, text: str, *, what: str, force: bool = True) -> None:
    """Write ``text`` as UTF-8; without ``force`` an existing file is never replaced."""
    check_writable(path, what=what, force=force)
    try:
        with path.open("w" if force else "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError as exc:
        raise InputError(f"{path} already exists; use --force to overwrite it.") from exc
    except OSError as exc:
        raise InputError(f"cannot write the {what} to {path} ({exc.strerror}).") from exc
