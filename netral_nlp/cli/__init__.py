"""The ``netral`` command: :mod:`.main` (parser, dispatch, errors to exit codes) and one module
per command (:mod:`.score`, :mod:`.train`, :mod:`.evaluate`). Nothing in the library imports it."""
from __future__ import annotations

from .main import main

__all__ = ["main"]
