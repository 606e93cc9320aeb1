"""The code table: every REQ code, its slug, message template and default state."""

from __future__ import annotations

from flake8_reqs.named_tuple import NamedTuple


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class Code(NamedTuple):
    code: str
    slug: str
    template: str
    summary: str
    default_on: bool = True
    # Other messages of the same finding, by name: (("marker", "..."),). Problem.variant
    # picks one; each is public interface like the template.
    variants: tuple[tuple[str, str], ...] = ()


_TABLE = (
    Code(
        "REQ001",
        "undeclared-import",
        "'{module}' {use} but not declared {where} ({sources}){hint}",
        "third-party import that no runtime requirement provides",
        variants=(
            # The requirement is there, but its environment marker is false on the target.
            (
                "marker",
                "'{module}' is declared in {where} only where {marker}; the target is {target}",
            ),
        ),
    ),
    Code(
        "REQ002",
        "dev-only-import",
        "'{module}' is provided by '{distribution}', declared only in {groups}, "
        "not as a runtime requirement",
        "import provided only by a non-runtime requirement set, in a runtime file",
    ),
    Code(
        "REQ003",
        "optional-undeclared-import",
        "'{module}' is imported under an ImportError guard but not declared as a runtime "
        "requirement ({sources}); production runs without it{hint}",
        "undeclared import inside try/except ImportError: the feature is silently lost",
        default_on=False,
    ),
    Code(
        "REQ004",
        "missing-stdlib-import",
        "'{module}' is not in the standard library of Python {version} ({when}){hint}",
        "standard-library module that the target Python does not have",
    ),
    Code(
        "REQ005",
        "transitive-import",
        "'{module}' is provided by '{distribution}', which production installs only because "
        "{reason} ({lock}); declare it",
        "import provided by a distribution that production installs only as a dependency of "
        "a declared one",
    ),
    Code(
        "REQ006",
        "undeclared-command",
        "{where} runs '{program}', which no runtime requirement provides; declare '{distribution}'",
        "program a start command runs that no runtime requirement installs "
        "(flake8-reqs check only)",
    ),
    Code(
        "REQ101",
        "system-library-import",
        "'{module}' ({distribution}) needs the system library {needs}, which pip does not "
        "install: {commands}{hint}",
        "import whose distribution loads a system library that pip does not install",
    ),
    Code(
        "REQ102",
        "system-program-import",
        "'{module}' ({distribution}) runs the {programs}: {commands}{hint}",
        "import whose distribution runs a program that pip does not install",
    ),
    Code(
        "REQ103",
        "system-runtime-import",
        "'{module}' ({distribution}) needs {needs}, which pip does not install: {commands}{hint}",
        "import whose distribution needs a Java runtime, browser, R or data that pip does "
        "not install",
    ),
    Code(
        "REQ104",
        "source-build-import",
        "'{module}' ({distribution}) has no wheel for Linux and compiles from source: "
        "needs {needs}: {commands}{hint}",
        "import whose distribution has no Linux wheel: installing it compiles C code",
    ),
    Code(
        "REQ201",
        "unused-requirement",
        "'{distribution}' is declared but never imported",
        "declared runtime requirement that no file imports (flake8-reqs check only)",
    ),
)

CODES: dict[str, Code] = {code.code: code for code in _TABLE}
DEFAULT_OFF: tuple[str, ...] = tuple(code.code for code in _TABLE if not code.default_on)
