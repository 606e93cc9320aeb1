"""``python -m flake8_reqs``: the flake8-reqs command."""

from __future__ import annotations

import sys

from flake8_reqs.commands.cli import main

if __name__ == "__main__":
    sys.exit(main())
