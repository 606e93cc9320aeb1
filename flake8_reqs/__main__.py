"""``python -m flake8_reqs``: the flake8-reqs command, with the project off sys.path."""

from __future__ import annotations

from flake8_reqs.import_path import drop_working_directory

# Before anything else is imported: argparse, flake8, packaging... would otherwise be
# looked for in the project first (import_path.py).
drop_working_directory()

from flake8_reqs.commands.entry import run  # noqa: E402  (after it, on purpose)

if __name__ == "__main__":
    run()
