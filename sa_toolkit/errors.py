"""Errors that reach the user as one readable message (exit code 2), never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix: bad usage, bad configuration or bad input.

    The CLI prints ``str(error)`` and exits with code 2 (``--debug`` shows the traceback).
    """

    exit_code = 2


class ConfigError(UserError):
    """The configuration file is invalid; the message names the key and what is allowed."""

    def __init__(self, key: str, problem: str, path: str | None = None):
        self.key = key
        self.problem = problem
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(f"{where}configuration key '{key}': {problem}")


class InputFileError(UserError):
    """A file-level fault in an input file (header mismatch, unreadable, empty...).

    Parameters
    ----------
    file : str
        The file, as the user knows it (relative to the raw folder where possible).
    problem : str
        What is wrong, in plain words.
    line : int, optional
        1-based line number in the file where the fault is.
    column : str, optional
        The column concerned.
    expected, found : str, optional
        What was expected and what was found.
    """

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        line: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: str | None = None,
    ):
        self.file = str(file)
        self.problem = problem
        self.line = line
        self.column = column
        self.expected = expected
        self.found = found
        parts = [self.file]
        if line is not None:
            parts.append(f"line {line}")
        if column is not None:
            parts.append(f"column '{column}'")
        msg = ", ".join(parts) + f": {problem}"
        if expected is not None:
            msg += f"; expected {expected}"
        if found is not None:
            msg += f", found {found}"
        super().__init__(msg)


class ArgumentError(UserError, ValueError):
    """An invalid argument to a statistical or library function (e.g. a zero denominator)."""
