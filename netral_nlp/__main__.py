"""``python -m netral_nlp``: the same as the ``netral`` command."""
import sys

from .cli.main import main

sys.exit(main())
