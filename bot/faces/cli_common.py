"""What both CLI modules share: exit codes and the CLI's own one-line error."""

from __future__ import annotations

from ingest.errors import NewsbotError

EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a killed writer


class CliError(NewsbotError):
    """A one-line error for the user, with its exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code
