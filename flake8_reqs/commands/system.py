"""``flake8-reqs system``: the OS packages a project's imports need, as a Dockerfile line."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flake8_reqs.checks import provider_of
from flake8_reqs.checks.uses import chosen_alternative
from flake8_reqs.code.scan import ScannedFile
from flake8_reqs.declared.resolve import find_provisions
from flake8_reqs.declared.stdlib import stdlib_modules
from flake8_reqs.project.root import is_dev_path
from flake8_reqs.system.files import is_provided
from flake8_reqs.system.native import NativeNeed, find_need

if TYPE_CHECKING:
    from flake8_reqs.commands.project import Project

_INSTALL_LINES = {
    "debian": "RUN apt-get update && apt-get install -y --no-install-recommends {} \\\n"
    " && rm -rf /var/lib/apt/lists/*",
    "alpine": "RUN apk add --no-cache {}",
    "fedora": "RUN dnf install -y {} && dnf clean all",
    "brew": "brew install {}",
}


@dataclass(frozen=True)
class NeedUse:
    """A need and the first place the project imports what needs it."""

    need: NativeNeed
    where: str  # "src/utils/validators.py:11"


def find_needs(scanned: Sequence[ScannedFile], project: Project) -> list[NeedUse]:
    """Each distinct need of the runtime files' imports, in the order first met."""
    state = project.state
    stdlib = stdlib_modules("{}.{}".format(*state.target.version))
    found: dict[str, NeedUse] = {}
    for file in scanned:
        if is_dev_path(str(file.path), state.root, project.settings.dev_paths):
            continue
        for ref in file.refs:
            if ref.level or ref.top_level in stdlib or ref.top_level in state.first_party:
                continue
            ref = chosen_alternative(ref, state.provisions)  # the driver an engine loads
            provider = provider_of(ref, find_provisions(ref, state.provisions))
            if provider is None or provider[0] in found or provider[0] in state.system_ok:
                continue
            need = find_need(*provider)
            if need is not None:
                where = f"{os.path.relpath(file.path)}:{ref.line}"
                found[provider[0]] = NeedUse(need, where)
    return list(found.values())


def run_system(project: Project, scanned: Sequence[ScannedFile], *, family: str | None) -> int:
    """Print the needs, which of them the system files install, and the install line."""
    system = project.state.system
    family = family or (system.family if system else None) or "debian"
    uses = find_needs(scanned, project)
    if not uses:
        print("No imported distribution needs an OS package that pip does not install.")
        return 0
    missing: list[str] = []
    build: list[str] = []
    print(f"OS packages for the imports of this project ({family}):")
    for use in uses:
        need = use.need
        packages = [item.split("|")[0].strip() for item in need.packages.get(family, ())]
        installed = system is not None and is_provided(need, system)
        state = "installed" if installed else ("missing" if system else "needed")
        shown = " ".join(packages) or (need.setup or "(no package for this family)")
        print(f"  {shown:<28} {state:<9} {need.distribution} needs {need.needs} ({use.where})")
        if not installed:
            missing.extend(package for package in packages if package not in missing)
            build.extend(
                item.split("|")[0].strip()
                for item in need.build_packages.get(family, ())
                if item not in build
            )
    _print_install_lines(family, missing, build, system is not None)
    return 0


def _print_install_lines(
    family: str, missing: list[str], build: list[str], has_system: bool
) -> None:
    if not missing and not build:
        print("\nThe system files install everything these imports need.")
        return
    if build:
        line = _INSTALL_LINES[family].format(" ".join(build))
        print(f"\nTo build from source (in the build stage):\n{line}")
    if missing:
        where = "missing from the system files" if has_system else "to add to the image"
        print(f"\nRun time ({where}):\n{_INSTALL_LINES[family].format(' '.join(missing))}")
    sys.stdout.flush()
