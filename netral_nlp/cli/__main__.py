"""``python -m netral_nlp.cli``: the same as the ``netral`` command."""
import sys

from .main import main

sys.exit(main())
