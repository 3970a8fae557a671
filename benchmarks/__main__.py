"""``python -m benchmarks``: the whole benchmark suite (what ``make bench`` runs)."""

import sys

from .run import main

sys.exit(main())
