"""``flake8-reqs verify``: install exactly the runtime requirements and import the entry points.

The static checks cannot see an import made from a string built at run time, a plugin loaded
by name, or a module a C extension imports. This command is their safety net, and the one
part of flake8-reqs that runs the project's code, on purpose and only when asked: it makes a
fresh virtual environment, installs into it only what the runtime requirement sources
declare (not the project itself: its own modules are imported from the source tree), and
imports each entry point there in a subprocess, as the production image would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import venv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.graph import entry_file

if TYPE_CHECKING:
    from flake8_reqs.cli import Project

# Run by the environment's Python: import the module, look the attribute up, and on failure
# print what failed and the project files the traceback went through, as JSON.
_DRIVER = """
import importlib, json, os, sys, traceback
root, module, attr = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path[:0] = [p for p in (root, os.path.join(root, "src")) if os.path.isdir(p)]
try:
    value = importlib.import_module(module)
    for part in filter(None, attr.split(".")):
        value = getattr(value, part)
except BaseException as exc:
    frames = traceback.extract_tb(exc.__traceback__)
    base = os.path.realpath(root)
    files = [(f.filename, f.lineno) for f in frames if os.path.isabs(f.filename)]  # no <string>
    chain = [(os.path.realpath(name), line) for name, line in files]
    chain = [(os.path.relpath(p, base), n) for p, n in chain if p.startswith(base + os.sep)]
    print(json.dumps({"type": type(exc).__name__, "message": str(exc),
                      "name": getattr(exc, "name", None), "chain": chain}))
    sys.exit(1)
print(json.dumps({"ok": True}))
"""
_PIP_TAIL = 8  # lines of pip's output shown when it fails


@dataclass(frozen=True)
class Index:
    """Where pip may look: ``--find-links`` folders, ``--no-index``, ``--index-url``."""

    find_links: tuple[str, ...] = ()
    no_index: bool = False
    index_url: str | None = None

    def pip_arguments(self) -> list[str]:
        arguments = [f"--find-links={link}" for link in self.find_links]
        if self.no_index:
            arguments.append("--no-index")
        if self.index_url:
            arguments.append(f"--index-url={self.index_url}")
        return arguments


def run_verify(
    project: Project,
    entries: Sequence[str],
    *,
    index: Index,
    python: str,
    venv_dir: Path | None,
    timeout: float,
) -> int:
    """0 when every entry point imports, 1 when one fails, 2 when it cannot be tried.

    Raises ReqsInputError for an entry point that does not exist or an environment that
    cannot be made or filled.
    """
    if not entries:
        raise ReqsInputError("--entry", None, "verify needs at least one entry point to import")
    root = project.state.root
    for entry in entries:
        entry_file(entry, root)  # raises, naming it, when there is no such module
    requirements = sorted(
        {
            provision.requirement.text
            for provisions in project.state.provisions.values()
            for provision in provisions
            if provision.group is None
        }
    )
    with tempfile.TemporaryDirectory(prefix="flake8-reqs-verify-") as scratch:
        environment = venv_dir or Path(scratch) / "venv"
        interpreter = _make_environment(environment, python, timeout)
        _install(interpreter, requirements, index, Path(scratch), timeout)
        failed = False
        for entry in entries:
            failed |= not _import(interpreter, root, entry, project, timeout)
    return 1 if failed else 0


def _make_environment(folder: Path, python: str, timeout: float) -> Path:
    interpreter = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if interpreter.exists():
        return interpreter
    if Path(python).resolve() == Path(sys.executable).resolve():
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(folder)
        except (OSError, subprocess.CalledProcessError) as error:
            message = f"cannot make a virtual environment: {error}"
            raise ReqsInputError(str(folder), None, message) from None
        return interpreter
    _run([python, "-m", "venv", str(folder)], timeout, f"{python} -m venv")
    return interpreter


def _install(
    interpreter: Path, requirements: list[str], index: Index, scratch: Path, timeout: float
) -> None:
    if not requirements:
        return
    listed = scratch / "runtime-requirements.txt"
    listed.write_text("".join(f"{line}\n" for line in requirements), encoding="utf-8")
    command = [str(interpreter), "-m", "pip", "install", "--disable-pip-version-check"]
    command += ["--no-input", *index.pip_arguments(), "-r", str(listed)]
    _run(command, timeout, "pip could not install the runtime requirements")


def _run(command: list[str], timeout: float, what: str) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ReqsInputError("verify", None, f"{what}: no answer in {timeout:g} s") from None
    except OSError as error:
        raise ReqsInputError("verify", None, f"{what}: {error}") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-_PIP_TAIL:]
        detail = "".join(f"\n  {line}" for line in tail)
        raise ReqsInputError("verify", None, f"{what} (exit {done.returncode}){detail}")


def _import(interpreter: Path, root: Path, entry: str, project: Project, timeout: float) -> bool:
    module, attr = _module_of(entry, root)
    command = [str(interpreter), "-s", "-E", "-c", _DRIVER, str(root), module, attr]
    try:
        done = subprocess.run(
            command, cwd=root, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        print(f"flake8-reqs verify: {entry} failed: no answer in {timeout:g} s")
        return False
    outcome = _outcome(done.stdout)
    if outcome.get("ok"):
        print(f"flake8-reqs verify: {entry} imported")
        return True
    kind = outcome.get("type", "the import crashed")
    message = outcome.get("message") or (done.stderr.strip().splitlines() or [""])[-1]
    print(f"flake8-reqs verify: {entry} failed: {kind}: {message}")
    steps = outcome.get("chain")
    chain = (
        [f"{Path(path).as_posix()}:{line}" for path, line in steps or []]
        if isinstance(steps, list)
        else []
    )
    if chain:
        print("  " + " -> ".join(chain))
    hint = _hint(outcome.get("name"), project)
    if hint:
        print(f"  {hint}")
    return False


def _module_of(entry: str, root: Path) -> tuple[str, str]:
    """``main:app`` -> ("main", "app"); a file path -> its dotted module name from the root."""
    module, _, attr = entry.partition(":")
    if not (module.endswith(".py") or "/" in module or os.sep in module):
        return module, attr
    path = entry_file(module, root)
    for base in (root / "src", root):
        try:
            relative = path.relative_to(base).with_suffix("")
        except ValueError:
            continue
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts), attr
    return path.stem, attr


def _outcome(stdout: str) -> dict[str, object]:
    for line in reversed(stdout.strip().splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return {}


def _hint(name: object, project: Project) -> str:
    """For a missing module: the distribution known to provide it, and where to declare it."""
    if not isinstance(name, str) or not name:
        return ""
    from flake8_reqs.resolve import known_providers

    providers = known_providers(name)
    if not providers:
        return ""
    where = project.state.runtime_sources or "the runtime requirements"
    return f"'{name}' is provided by '{providers[0]}': declare it in {where}"
