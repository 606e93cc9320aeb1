"""Problem: one finding at a line and column, and its one-line rendering."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flake8_reqs.codes import CODES


@dataclass(frozen=True)
class Problem:
    line: int
    col: int
    code: str
    args: Mapping[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """``REQ001 'magic' is imported ...``: the code, a space, the filled template."""
        return f"{self.code} {CODES[self.code].template.format(**self.args)}"
