"""REQ101-REQ104: imports whose distribution needs something pip does not install."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_reqs.problems import Problem

if TYPE_CHECKING:
    from collections.abc import Mapping

    from packaging.utils import NormalizedName
    from packaging.version import Version

    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.system.files import Coverage, SystemPackages
    from flake8_reqs.system.native import NativeNeed

_CODES = {"library": "REQ101", "program": "REQ102", "runtime": "REQ103", "build": "REQ104"}
_INSTALL = {
    "debian": "apt-get install",
    "alpine": "apk add",
    "fedora": "dnf install",
    "brew": "brew install",
}
_LINUX = ("debian", "alpine", "fedora")
# What a standard-library need names in place of a distribution: "'tkinter' (standard library)".
STANDARD_LIBRARY = "standard library"


def need_code(need: NativeNeed) -> str:
    """The code a need is reported under: REQ101 for a library, ..., REQ104 for a build."""
    return _CODES[need.kind]


def check_system(
    ref: ImportRef,
    distribution: NormalizedName,
    version: Version | str | None,
    system: SystemPackages | None,
    system_ok: frozenset[NormalizedName],
    known_needs: Mapping[tuple[str, str | None], NativeNeed | None] | None = None,
) -> Problem | None:
    """REQ101 system library, REQ102 program, REQ103 runtime (JVM, browser, R), REQ104 no
    Linux wheel. None when ``distribution`` needs nothing, is in ``system_ok``, or the
    system file in use (``system``) installs what it needs. ``known_needs`` holds the
    needs already looked up (ProjectState.native_needs)."""
    if distribution in system_ok:
        return None
    need = need_of(distribution, version, known_needs)
    if need is None:
        return None
    return need_problem(ref.line, ref.col, ref.module, need, system)


def need_of(
    distribution: NormalizedName,
    version: Version | str | None,
    known_needs: Mapping[tuple[str, str | None], NativeNeed | None] | None,
) -> NativeNeed | None:
    """What ``distribution`` at ``version`` needs: as the project state found it
    (``known_needs``, which knows what else production installs), else from the data."""
    key = (distribution, version if version is None or isinstance(version, str) else str(version))
    if known_needs is not None and key in known_needs:
        return known_needs[key]
    from flake8_reqs.system.native import find_need

    return find_need(distribution, version)


def check_stdlib_system(
    ref: ImportRef,
    stdlib_needs: Mapping[str, NativeNeed],
    system: SystemPackages | None,
    system_ok: frozenset[NormalizedName],
) -> Problem | None:
    """REQ101 for a standard-library module whose OS library the shipped image leaves out
    (``tkinter`` on ``python:3.12-slim``). ``stdlib_needs`` holds only such modules
    (ProjectState.stdlib_needs); ``--reqs-system-ok tkinter`` silences one."""
    need = stdlib_needs.get(ref.top_level)
    if need is None or need.distribution in system_ok:
        return None
    base = system.base if system is not None else None
    hint = f"; the {base} image leaves it out" if base else ""
    return need_problem(ref.line, ref.col, ref.module, need, system, STANDARD_LIBRARY, hint)


def need_problem(
    line: int,
    col: int,
    module: str,
    need: NativeNeed,
    system: SystemPackages | None,
    provider: str | None = None,
    hint: str | None = None,
) -> Problem | None:
    """The REQ101-REQ104 problem of ``need`` at ``line``, or None when ``system`` meets it.

    ``provider`` is what the message names in parentheses (the distribution by default);
    ``hint`` ends it (by default, the distribution to declare instead, if any).
    """
    cover = None
    if system is not None:
        from flake8_reqs.system.files import coverage

        cover = coverage(need, system)
        if cover.met:
            return None
    if hint is None:
        hint = f"; or declare '{need.alternative}' instead" if need.alternative else ""
    args = {
        "module": module,
        "distribution": provider or need.distribution,
        "needs": need.needs,
        "programs": _programs(need.needs),
        "commands": install_commands(need, system.family if system else None, cover),
        "hint": hint,
    }
    return Problem(line, col, _CODES[need.kind], args)


def install_commands(need: NativeNeed, family: str | None, cover: Coverage | None = None) -> str:
    """``apt-get install libmagic1 | apk add libmagic | dnf install file-libs``.

    Only ``family``'s command when it is known and has packages; otherwise apt, apk and
    dnf, and brew only when no Linux family has packages. Alternatives (``a | b``) show
    their first name. With ``cover`` (what a system file has of the need), only the
    packages it lacks. A ``setup`` command comes last.
    """
    if cover is not None and need.kind == "build" and cover.runtime and not cover.build:
        command = _command(cover.family or "debian", cover.runtime)
        return (
            "the image has them to build it, but the shipped stage lacks its run-time "
            f"library: {command}"
        )
    table = need.build_packages if need.kind == "build" else need.packages
    if family is not None and table.get(family):
        families = [family]
    else:
        families = [name for name in _LINUX if table.get(name)]
        if not families and table.get("brew"):
            families = ["brew"]
    commands = []
    for name in families:
        items = table[name]
        if cover is not None and cover.family == name:
            lacking = cover.build if need.kind == "build" else cover.runtime
            items = lacking or items
        commands.append(_command(name, items))
    if need.setup:
        commands.append(need.setup)
    return " | ".join(commands)


def _command(family: str, items: tuple[str, ...]) -> str:
    return " ".join([_INSTALL[family], *(item.split("|")[0].strip() for item in items)])


def _programs(needs: str) -> str:
    """``"tesseract, gs"`` -> ``"programs 'tesseract' and 'gs'"``."""
    names = [f"'{name.strip()}'" for name in needs.split(",")]
    if len(names) == 1:
        return f"program {names[0]}"
    return f"programs {', '.join(names[:-1])} and {names[-1]}"
