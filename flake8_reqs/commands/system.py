"""``flake8-reqs system``: the OS packages each project's imports need, as a Dockerfile line."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flake8_reqs.checks import provider_of, unimported_needs
from flake8_reqs.checks.system import STANDARD_LIBRARY, need_code, need_of
from flake8_reqs.checks.uses import chosen_alternative
from flake8_reqs.code.scan import ScannedFile
from flake8_reqs.declared.resolve import find_provisions
from flake8_reqs.project.import_roots import file_roots
from flake8_reqs.project.root import is_dev_path
from flake8_reqs.system.files import Coverage, SystemPackages, coverage
from flake8_reqs.system.native import NativeNeed

if TYPE_CHECKING:
    from flake8_reqs.code.imports import ImportRef
    from flake8_reqs.commands.project import Part, Project
    from flake8_reqs.project.state import ProjectState

_INSTALL_LINES = {
    "debian": "RUN apt-get update && apt-get install -y --no-install-recommends {} \\\n"
    " && rm -rf /var/lib/apt/lists/*",
    "alpine": "RUN apk add --no-cache {}",
    "fedora": "RUN dnf install -y {} && dnf clean all",
    "brew": "brew install {}",
}


@dataclass(frozen=True)
class NeedUse:
    """A need and the first place the project imports, or declares, what needs it."""

    need: NativeNeed
    where: str  # "src/utils/validators.py:11", "requirements.txt:3"
    provider: str  # "python-magic", "tkinter (standard library)"


def find_needs(
    scanned: Sequence[ScannedFile], project: Project, state: ProjectState
) -> list[NeedUse]:
    """Each distinct need of the runtime files' imports, in the order first met, then those
    of the runtime requirements no runtime file imports (a driver named in the settings)."""
    stdlib_needs = state.stdlib_needs or {}
    found: dict[str, NeedUse] = {}
    runtime_refs: list[ImportRef] = []
    for file in scanned:
        if is_dev_path(str(file.path), state.root, project.settings.dev_paths):
            continue
        runtime_refs += file.refs
        roots = file_roots(str(file.path), state.root, project.working_directory, file.additions)
        for ref in file.refs:
            if ref.level or ref.top_level in state.first_party or roots.covers(ref):
                continue
            where = f"{os.path.relpath(file.path)}:{ref.line}"
            if ref.top_level in state.stdlib:
                need = stdlib_needs.get(ref.top_level)
                if need is not None and need.distribution not in state.system_ok:
                    label = f"{ref.top_level} ({STANDARD_LIBRARY})"
                    found.setdefault(need.distribution, NeedUse(need, where, label))
                continue
            ref = chosen_alternative(ref, state.provisions)  # the driver an engine loads
            provider = provider_of(ref, find_provisions(ref, state.provisions))
            if provider is None or provider[0] in found or provider[0] in state.system_ok:
                continue
            need = need_of(*provider, state.native_needs)
            if need is not None:
                found[provider[0]] = NeedUse(need, where, provider[0])
    for requirement, _, need in unimported_needs(runtime_refs, state):
        where = f"{requirement.path}:{requirement.line}"
        found.setdefault(requirement.name, NeedUse(need, where, requirement.name))
    return [use for use in found.values() if project.selection.is_selected(need_code(use.need))]


def run_system(
    project: Project,
    scanned: Sequence[tuple[Part, Sequence[ScannedFile]]],
    *,
    family: str | None,
) -> int:
    """Print, project by project, the needs, which of them its system files meet, and the
    install lines.

    Returns 1 when a need is not met (or, without a system file, when there is any), else 0.
    """
    active = [(part.state, files) for part, files in scanned if part.state.active]
    unmet = False
    for number, (state, files) in enumerate(active):
        if number:
            print()
        name = os.path.relpath(state.root) if len(active) > 1 else None
        unmet = _print_needs(project, state, files, family, name) or unmet
    sys.stdout.flush()
    return 1 if unmet else 0


def _print_needs(
    project: Project,
    state: ProjectState,
    scanned: Sequence[ScannedFile],
    family: str | None,
    name: str | None,
) -> bool:
    """One project's needs and install lines (``name`` it when the run has several);
    whether a need is not met."""
    system = state.system
    family = family or (system.family if system else None) or "debian"
    uses = find_needs(scanned, project, state)
    whose = "this project" if name is None else name
    if not uses:
        print(f"Nothing {whose} imports or declares needs an OS package pip does not install.")
        return False
    missing: list[str] = []
    build: list[str] = []
    unmet = False
    print(f"OS packages for the imports and runtime requirements of {whose} ({family}):")
    for use in uses:
        need = use.need
        cover = _coverage(need, system, family)
        items = need.packages.get(family, ())
        status = _state(need, cover, system is not None, family)
        shown = " ".join(_first(items)) or (need.setup or "(no package for this family)")
        print(f"  {shown:<28} {status:<9} {use.provider} needs {need.needs} ({use.where})")
        if cover is None or not cover.met:
            unmet = True
            runtime = cover.runtime if cover is not None else items
            build_items = need.build_packages.get(family, ()) if need.kind == "build" else ()
            lacking = cover.build if cover is not None else build_items
            missing.extend(name for name in _first(runtime) if name not in missing)
            build.extend(name for name in _first(lacking) if name not in build)
    _print_install_lines(family, missing, build, system is not None, whose)
    return unmet


def _coverage(need: NativeNeed, system: SystemPackages | None, family: str) -> Coverage | None:
    """What ``system`` has of ``need``; what it lacks, for ``family`` (the one shown)."""
    if system is None:
        return None
    cover = coverage(need, system)
    if not cover.met and cover.family != family:  # the system file's family is unknown
        cover = coverage(need, system._replace(family=family))._replace(met=False)
    return cover


def _state(need: NativeNeed, cover: Coverage | None, has_system: bool, family: str) -> str:
    """installed, partial (some of its packages are there), missing, or needed (no system
    file to tell)."""
    if cover is None:
        return "needed" if not has_system else "missing"
    if cover.met:
        return "installed"
    every = len(need.packages.get(family, ()))
    if need.kind == "build":
        every += len(need.build_packages.get(family, ()))
    return "partial" if len(cover.runtime) + len(cover.build) < every else "missing"


def _first(items: Sequence[str]) -> list[str]:
    """The first name of each item: ``libmagic1`` for ``"libmagic1 | libmagic1t64"``."""
    return [item.split("|")[0].strip() for item in items]


def _print_install_lines(
    family: str, missing: list[str], build: list[str], has_system: bool, whose: str
) -> None:
    if not missing and not build:
        print(f"\nThe system files install everything {whose} needs.")
        return
    if build:
        line = _INSTALL_LINES[family].format(" ".join(build))
        print(f"\nTo build from source (in the build stage):\n{line}")
    if missing:
        where = "missing from the system files" if has_system else "to add to the image"
        print(f"\nRun time ({where}):\n{_INSTALL_LINES[family].format(' '.join(missing))}")
