"""The errors netral-nlp raises on purpose, and the exit codes of the ``netral`` command.

The command prints a :class:`NetralError` (and the ``ValueError``/``OSError``/``TypeError`` of
bad input) as one line and exits with ``EXIT_USAGE``; ``netral score`` exits with
``EXIT_ROW_ERRORS`` when some rows got an ``error`` (the output is still complete).
"""
from __future__ import annotations

EXIT_OK, EXIT_ROW_ERRORS, EXIT_USAGE = 0, 1, 2


class NetralError(Exception):
    """Base class: a problem the user can fix, reported without a traceback by the command."""


class UsageError(NetralError):
    """A problem with the command line, the options or an input file."""


class ModelNotAvailableError(NetralError, OSError):
    """The model is neither a local directory nor reachable/cached on the Hugging Face Hub."""


class DataError(NetralError, ValueError):
    """A training/evaluation file is malformed; the message names the file and line."""
