"""flake8-reqs: imports checked against the runtime requirements."""

from __future__ import annotations

__version__ = "0.1.0"
