"""REQ101-REQ104: imports whose distribution needs something pip does not install."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_reqs.problems import Problem

if TYPE_CHECKING:
    from collections.abc import Mapping

    from packaging.utils import NormalizedName
    from packaging.version import Version

    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.system.files import SystemPackages
    from flake8_reqs.system.native import NativeNeed

_CODES = {"library": "REQ101", "program": "REQ102", "runtime": "REQ103", "build": "REQ104"}
_INSTALL = {
    "debian": "apt-get install",
    "alpine": "apk add",
    "fedora": "dnf install",
    "brew": "brew install",
}
_LINUX = ("debian", "alpine", "fedora")


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
    key = (distribution, version if version is None or isinstance(version, str) else str(version))
    if known_needs is not None and key in known_needs:
        need = known_needs[key]
    else:
        from flake8_reqs.system.native import find_need

        need = find_need(distribution, version)
    if need is None:
        return None
    from flake8_reqs.system.files import is_provided

    if system is not None and is_provided(need, system):
        return None
    hint = f"; or declare '{need.alternative}' instead" if need.alternative else ""
    args = {
        "module": ref.module,
        "distribution": distribution,
        "needs": need.needs,
        "programs": _programs(need.needs),
        "commands": install_commands(need, system.family if system else None),
        "hint": hint,
    }
    return Problem(ref.line, ref.col, _CODES[need.kind], args)


def install_commands(need: NativeNeed, family: str | None) -> str:
    """``apt-get install libmagic1 | apk add libmagic | dnf install file-libs``.

    Only ``family``'s command when it is known and has packages; otherwise apt, apk and
    dnf, and brew only when no Linux family has packages. Alternatives (``a | b``) show
    their first name. A ``setup`` command comes last.
    """
    table = need.build_packages if need.kind == "build" else need.packages
    if family is not None and table.get(family):
        families = [family]
    else:
        families = [name for name in _LINUX if table.get(name)]
        if not families and table.get("brew"):
            families = ["brew"]
    commands = [
        " ".join([_INSTALL[name], *(item.split("|")[0].strip() for item in table[name])])
        for name in families
    ]
    if need.setup:
        commands.append(need.setup)
    return " | ".join(commands)


def _programs(needs: str) -> str:
    """``"tesseract, gs"`` -> ``"programs 'tesseract' and 'gs'"``."""
    names = [f"'{name.strip()}'" for name in needs.split(",")]
    if len(names) == 1:
        return f"program {names[0]}"
    return f"programs {', '.join(names[:-1])} and {names[-1]}"
