"""REQ006: a program a start command runs that no runtime requirement installs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from flake8_reqs.problems import Problem

if TYPE_CHECKING:
    from packaging.utils import NormalizedName

    from flake8_reqs.project.state import ProjectState
    from flake8_reqs.system.starts import StartUse


def check_command(
    use: StartUse, state: ProjectState, runtime: frozenset[NormalizedName]
) -> Problem | None:
    """REQ006 for a program ``use`` that none of its distributions, declared as a runtime
    requirement, installs. None when one is declared, or when the image has the program
    another way: an OS package of its name (``apt-get install gunicorn``, ``python3-<dist>``),
    a ``pip install`` in the Dockerfile, or a file of its name that COPY or ADD brings in."""
    distributions = [canonicalize_name(name) for name in use.distributions]
    if any(name in runtime for name in distributions):
        return None
    program = use.name.split()[0]
    packages = state.system.packages if state.system is not None else frozenset()
    os_names = {program, *distributions, *(f"python3-{name}" for name in distributions)}
    starts = state.starts
    pip_installed = {canonicalize_name(name) for name in starts.pip_installed} if starts else set()
    if (
        os_names & packages
        or pip_installed & set(distributions)
        or (starts is not None and program in starts.copied)
    ):
        return None
    args = {"where": use.where, "program": use.name, "distribution": use.distributions[0]}
    return Problem(use.line, 0, "REQ006", args)
