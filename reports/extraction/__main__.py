"""Entry point for ``python -m reports.extraction``."""

import sys

from reports.extraction.cli import main

sys.exit(main())
