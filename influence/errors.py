"""The exceptions `influence` raises.

Every message names the bad thing and the fix, so the command line can print it as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "InfluenceError",
    "InputError",
    "ValidationError",
    "UnknownActorError",
    "OutputError",
    "Problem",
    "either",
    "for_cli",
    "for_python",
]

_EITHER = re.compile("\x02([^\x1f\x03]*)\x1f([^\x03]*)\x03")


def either(python: str, cli: str) -> str:
    """Name an option in a message for both readers: ``python`` from the library, ``cli`` on
    the command line (``either("force=True", "--force")``).

    ``str(error)`` shows the Python form; the command line shows the other
    (:meth:`InfluenceError.cli_message`), so no message tells a command-line user to type
    Python, or a Python user to type an option.

    Examples
    --------
    >>> from influence.errors import OutputError, either
    >>> exc = OutputError(f"Fix: pass {either('force=True', '--force')} to overwrite it.")
    >>> str(exc)
    'Fix: pass force=True to overwrite it.'
    >>> exc.cli_message()
    'Fix: pass --force to overwrite it.'
    """
    return f"\x02{python}\x1f{cli}\x03"


def for_python(text: str) -> str:
    """The text with each :func:`either` choice in its Python form."""
    return _EITHER.sub(r"\1", text)


def for_cli(text: str) -> str:
    """The text with each :func:`either` choice in its command-line form."""
    return _EITHER.sub(r"\2", text)


class InfluenceError(Exception):
    """Base class of every error raised by `influence` on purpose."""

    def __str__(self) -> str:
        return for_python(super().__str__())

    def cli_message(self) -> str:
        """The message as the command line shows it (options named as typed there)."""
        return for_cli(self.marked())

    def marked(self) -> str:
        """The message with its :func:`either` choices kept, to build a longer message from."""
        return Exception.__str__(self)


class InputError(InfluenceError):
    """A file or argument cannot be used as given (unreadable, wrong format, bad option)."""


class UnknownActorError(InputError, KeyError):
    """An actor id (or kind) given as an option is not in the map."""

    def __str__(self) -> str:  # KeyError would quote the message
        return for_python(self.marked())

    def marked(self) -> str:
        return str(self.args[0]) if self.args else ""


class OutputError(InfluenceError):
    """An output cannot be written (exists without force, would overwrite an input, ...)."""


@dataclass(frozen=True)
class Problem:
    """One problem found in the data, located as the user sees it in the spreadsheet.

    ``row`` is the spreadsheet row number (the header is row 1), or None for a problem that
    concerns a whole column or file.
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: object
    message: str
    fix: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = [self.file or "<data>"]
        if self.sheet:
            where.append(f'sheet "{self.sheet}"')
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f'column "{self.column}"')
        text = ", ".join(where) + f": {self.message}"
        if self.value is not None:
            text += f" (value: {self.value!r})"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text


class ValidationError(InputError):
    """The data has errors; ``.problems`` lists every one found (up to a cap)."""

    def __init__(self, problems, *, truncated: int = 0):
        self.problems = list(problems)
        self.truncated = truncated
        super().__init__(self.report())

    def report(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        n = len(errors) + self.truncated
        head = f"{n} problem{'s' if n != 1 else ''} found:"
        lines = [head] + [f"  - {p}" for p in errors]
        if self.truncated:
            lines.append(f"  ... and {self.truncated} more (fix these first, then validate again)")
        return "\n".join(lines)
