"""A synthetic monorepo: ``projects`` service folders of ``files`` Python files each.

Each project has its own requirements.txt (four distributions of the editor environment,
bench/editor-env.txt, and one that is not installed) and files that import them, the
standard library, each other, and one undeclared module, so that every project has the
same kind of findings. The repository root has no requirement source: flake8-reqs finds
each project by its own file (per-project discovery), as in a real monorepo.
"""

from __future__ import annotations

import shutil
from pathlib import Path

DECLARED = ("requests", "PyYAML", "click", "attrs", "not-installed-dist")
IMPORTS = ("requests", "yaml", "click", "attr", "json", "os", "collections")


def make_monorepo(root: Path, projects: int = 50, files: int = 100) -> Path:
    """Write the monorepo under ``root`` (made afresh when its shape changed) and return it."""
    stamp = root / ".bench-monorepo"
    shape = f"{projects} {files}\n"
    if stamp.is_file() and stamp.read_text() == shape:
        return root
    if root.exists():
        shutil.rmtree(root)
    for number in range(projects):
        project = root / "services" / f"svc{number:03d}"
        package = project / f"svc{number:03d}"
        package.mkdir(parents=True)
        (project / "requirements.txt").write_text("".join(f"{name}\n" for name in DECLARED))
        (package / "__init__.py").write_text("")
        for index in range(files - 1):
            (package / f"module{index:03d}.py").write_text(_module(number, index))
    stamp.write_text(shape)
    return root


def python_files(projects: int, files: int) -> int:
    return projects * files


def sample(projects: int) -> Path:
    """A file of the middle project, relative to the root, for the editor run."""
    return Path("services") / f"svc{projects // 2:03d}" / f"svc{projects // 2:03d}" / "module000.py"


def _module(project: int, index: int) -> str:
    picked = [IMPORTS[(index + k) % len(IMPORTS)] for k in range(3)]
    lines = [f"import {name}" for name in dict.fromkeys(picked)]
    lines.append(f"from svc{project:03d} import module{(index + 1) % 50:03d}  # first party")
    if index % 10 == 0:
        lines.append("import undeclared_thing")
    lines += ["", "", f"def handler_{index}(value):"]
    lines += [f"    total = value + {k}" for k in range(20)]
    lines += ["    return total", ""]
    return "\n".join(lines)
