"""Problem: one finding at a line and column, and its one-line rendering."""

from __future__ import annotations

from collections.abc import Mapping

from flake8_reqs.codes import CODES
from flake8_reqs.named_tuple import NamedTuple


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class Problem(NamedTuple):
    line: int
    col: int
    code: str
    args: Mapping[str, str]
    variant: str = ""  # one of the code's variants, when not its main template

    @property
    def message(self) -> str:
        """``REQ001 'magic' is imported ...``: the code, a space, the filled template."""
        entry = CODES[self.code]
        template = dict(entry.variants)[self.variant] if self.variant else entry.template
        return f"{self.code} {template.format(**self.args)}"
