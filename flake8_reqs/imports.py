"""ImportRef: the imports of one module's AST, with the guards that decide whether they run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportRef:
    """One module named by an import statement (or a literal dynamic import).

    ``module`` is the full dotted name as imported: ``a.b.c`` for ``import a.b.c``,
    ``a.b`` for ``from a.b import c``. ``names`` holds the names of a ``from`` import
    (``("c",)``), which may be submodules. ``guarded`` is true inside a ``try`` whose
    handler catches ImportError or ModuleNotFoundError.
    """

    module: str
    line: int
    col: int
    names: tuple[str, ...] = ()
    guarded: bool = False

    @property
    def top_level(self) -> str:
        return self.module.partition(".")[0]
