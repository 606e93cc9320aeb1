"""``flake8-reqs verify``: install exactly the runtime requirements and import the entry points.

The static checks cannot see an import made from a string built at run time, a plugin loaded
by name, or a module a C extension imports. This command is their safety net, and the one
part of flake8-reqs that runs the project's code, on purpose and only when asked: it makes a
fresh virtual environment, installs into it only what the runtime requirement sources
declare (not the project itself: its own modules are imported from the source tree), and
imports each entry point there in a subprocess, as the production image would.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flake8_reqs.code.graph import entry_file
from flake8_reqs.errors import ReqsInputError

if TYPE_CHECKING:
    from flake8_reqs.commands.project import Project

# Run by the environment's Python under -I: put the entry's folder, the root and src/ on
# sys.path, import the module, look the attribute up, and write what happened to a file
# (not stdout, which the project's import may print to). os._exit: a thread the import
# started must not keep the interpreter alive until the timeout.
_DRIVER = """
import importlib, json, os, sys, traceback
out, root, folder, module, attr = sys.argv[1:6]
paths = [folder, root, os.path.join(root, "src")]
sys.path[:0] = list(dict.fromkeys(p for p in paths if p and os.path.isdir(p)))
outcome = {"python": "%d.%d" % sys.version_info[:2]}
try:
    value = importlib.import_module(module)
    for part in filter(None, attr.split(".")):
        value = getattr(value, part)
except BaseException as exc:
    base = os.path.realpath(root)
    prefix = os.path.realpath(sys.prefix) + os.sep
    chain, installed = [], None
    for frame in traceback.extract_tb(exc.__traceback__):
        path = os.path.realpath(frame.filename) if os.path.isabs(frame.filename) else ""
        if path.startswith(prefix):
            sites = [os.path.realpath(p) for p in sys.path if p.startswith(sys.prefix)]
            site = max((p for p in sites if path.startswith(p + os.sep)), key=len, default="")
            installed = [os.path.relpath(path, site or sys.prefix), frame.lineno]
        elif path.startswith(base + os.sep):
            chain.append([os.path.relpath(path, base), frame.lineno])
            installed = None
    if installed:
        chain.append([*installed, "installed"])
    causes, cause = [], exc
    while cause is not None and len(causes) < 10:
        causes.append([type(cause).__name__, str(cause), getattr(cause, "name", None)])
        cause = cause.__cause__ or (None if cause.__suppress_context__ else cause.__context__)
    outcome.update(causes=causes, chain=chain)
with open(out, "w", encoding="utf-8") as file:
    json.dump(outcome, file)
sys.stdout.flush()
os._exit(0)
"""
_STAMP = "flake8-reqs-verify.json"  # in an environment verify made: what is installed there
_NOT_PIP = ("pyproject.toml", "setup.cfg", "setup.py")
_PIP_TAIL = 8  # lines of pip's output shown when it fails


@dataclass(frozen=True)
class Index:
    """What pip is told: ``--find-links``, ``--no-index``, ``--index-url``, ``--pip-arg``."""

    find_links: tuple[str, ...] = ()
    no_index: bool = False
    index_url: str | None = None
    pip_args: tuple[str, ...] = ()

    def pip_arguments(self) -> list[str]:
        # A folder as the user named it, from where they are: pip runs from the root.
        links = [
            os.path.abspath(link) if os.path.exists(link) else link for link in self.find_links
        ]
        arguments = [f"--find-links={link}" for link in links]
        if self.no_index:
            arguments.append("--no-index")
        if self.index_url:
            arguments.append(f"--index-url={self.index_url}")
        return [*arguments, *self.pip_args]


@dataclass(frozen=True)
class _Target:
    """An entry point as the driver imports it."""

    entry: str  # as the user gave it
    folder: str  # put first on sys.path, as ``python FILE`` does; "" for a module
    module: str
    attr: str


@dataclass(frozen=True)
class _Requirements:
    """What pip installs: the runtime pip files themselves, and the other sources' lines."""

    files: tuple[Path, ...]  # pip requirements files, read by pip as production reads them
    lines: tuple[str, ...]  # from pyproject.toml, setup.cfg, setup.py: as packaging writes them
    key: str  # changes whenever any of it does


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

    Raises ReqsInputError for an entry point that does not exist, or an environment that
    cannot be made or filled.
    """
    if not entries:
        raise ReqsInputError(
            "--entry",
            None,
            "verify needs at least one entry point to import, and none was given or found in "
            "the project (a start command, [project.scripts], manage.py)",
        )
    root = project.own_state().root
    targets = [_target(entry, root) for entry in entries]  # before minutes of pip
    requirements = _requirements(project, python)
    with tempfile.TemporaryDirectory(prefix="flake8-reqs-verify-") as scratch:
        folder = venv_dir or Path(scratch) / "venv"
        interpreter = _environment(folder, python, requirements, index, root, timeout)
        outcomes = [_import(interpreter, root, target, project, timeout) for target in targets]
    failed = any(not imported for imported, _ in outcomes)
    # Only a target the user named: one read from requires-python is its lowest version.
    wanted = project.settings.python_version
    versions = {version for _, version in outcomes if version}
    if wanted and versions - {wanted}:
        from flake8_reqs.errors import report

        report(
            f"verify: the environment runs Python {', '.join(sorted(versions))}, not the "
            f"--reqs-python-version {wanted}: markers and imports may differ from production"
        )
    return 1 if failed else 0


def _target(entry: str, root: Path) -> _Target:
    """``main:app`` -> module main, attribute app; a file -> its module, as Python finds it.

    Raises ReqsInputError when there is no such file or module.
    """
    path = entry_file(entry, root)
    module, _, attr = entry.partition(":")
    if not (module.endswith(".py") or "/" in module or os.sep in module):
        return _Target(entry, "", module, attr)
    # A file in a package is imported as package.module; any other file from its own
    # folder, which ``python FILE`` puts first on sys.path.
    parts = [path.stem] if path.stem != "__init__" else []
    folder = path.parent
    while folder != root and (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return _Target(entry, str(folder), ".".join(parts), attr)


def _requirements(project: Project, python: str) -> _Requirements:
    """The runtime requirements: what REQ001 checks against, pip files as pip reads them.

    pip reads a runtime requirements file itself, so its editables, local paths, URLs,
    hashes, ``-c`` constraints and includes install as they do in production; a name
    alone would send pip to the index for a local project. The other sources give their
    requirement lines, markers kept for pip to evaluate.
    """
    from flake8_reqs.declared.sources import read_source

    state = project.own_state()
    files: list[Path] = []
    read = {source.display: source.path for source in state.runtime_files}
    from_files: set[tuple[str, int]] = set()
    as_read: dict[tuple[str, int], str] = {}
    for source in state.runtime_files:
        # Read again, not taken from the state: a stored state keeps no more of a URL
        # than its scheme and host (project/stored_state.py), and pip needs all of it.
        declared = read_source(source, os.environ)
        if source.path.name not in _NOT_PIP:
            files.append(source.path.resolve())
            from_files |= {(req.path, req.line) for req in declared.runtime}
            # pip reads the -c files too: a changed constraint makes a new environment.
            read.update((path, Path(path)) for path in declared.constraints)
        else:
            as_read.update(((req.path, req.line), req.text) for req in declared.runtime)
    runtime = [
        provision.requirement
        for provisions in state.provisions.values()
        for provision in provisions
        if provision.group is None
    ]
    lines = sorted(
        {
            as_read.get((req.path, req.line), req.text)
            for req in runtime
            if (req.path, req.line) not in from_files
        }
    )
    # The files the requirements came from, as named and by content, not by where they
    # are: a change to any of them makes a new environment.
    read.update((req.path, project.settings.start / req.path) for req in runtime)
    digest = hashlib.sha256(json.dumps([shutil.which(python) or python, lines]).encode())
    for name, path in sorted(read.items()):
        digest.update(f"\0{name}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return _Requirements(tuple(files), tuple(lines), digest.hexdigest())


def _environment(
    folder: Path,
    python: str,
    requirements: _Requirements,
    index: Index,
    root: Path,
    timeout: float,
) -> Path:
    """The environment's interpreter, made and filled, or reused when nothing changed."""
    shown, folder = str(folder), folder.absolute()  # pip and the import run from the root
    interpreter = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    stamp = folder / _STAMP
    made = _read_stamp(stamp)
    if made is not None and made.get("installed") == requirements.key and interpreter.exists():
        return interpreter
    if made is None and folder.is_dir() and any(folder.iterdir()):
        raise ReqsInputError(
            shown, None, "not an environment verify made; give a new or empty folder"
        )
    _run([python, "-m", "venv", "--clear", str(folder)], timeout, "cannot make an environment")
    _write_stamp(stamp, None)
    if requirements.files or requirements.lines:
        listed = folder / "flake8-reqs-runtime-requirements.txt"
        listed.write_text("".join(f"{line}\n" for line in requirements.lines), encoding="utf-8")
        command = [str(interpreter), "-m", "pip", "install", "--disable-pip-version-check"]
        command += ["--no-input", *index.pip_arguments(), "-r", str(listed)]
        for path in requirements.files:
            command += ["-r", str(path)]
        # From the root, as a Dockerfile's pip runs: pip takes a local path in a
        # requirements file relative to its working folder, not to the file.
        _run(command, timeout, "pip could not install the runtime requirements", cwd=root)
    _write_stamp(stamp, requirements.key)
    return interpreter


def _read_stamp(stamp: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _write_stamp(stamp: Path, key: str | None) -> None:
    stamp.write_text(
        json.dumps({"made_by": "flake8-reqs verify", "installed": key}) + "\n", encoding="utf-8"
    )


def _run(command: list[str], timeout: float, what: str, cwd: Path | None = None) -> None:
    try:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise ReqsInputError("verify", None, f"{what}: no answer in {timeout:g} s") from None
    except OSError as error:
        raise ReqsInputError("verify", None, f"{what}: {error}") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-_PIP_TAIL:]
        detail = "".join(f"\n  {line}" for line in tail)
        raise ReqsInputError("verify", None, f"{what} (exit {done.returncode}){detail}")


def _import(
    interpreter: Path, root: Path, target: _Target, project: Project, timeout: float
) -> tuple[bool, str]:
    """Import one entry point and print the outcome; whether it imported, and the Python
    version that tried ("" when unknown)."""
    with tempfile.TemporaryDirectory(prefix="flake8-reqs-verify-") as scratch:
        out = Path(scratch) / "outcome.json"
        command = [str(interpreter), "-I", "-c", _DRIVER, str(out), str(root)]
        command += [target.folder, target.module, target.attr]
        returncode, stderr = _run_alone(command, root, Path(scratch) / "stderr.txt", timeout)
        if returncode is None:
            print(f"flake8-reqs verify: {target.entry} failed: no answer in {timeout:g} s")
            return False, ""
        outcome = _read_stamp(out) or {}
    version = str(outcome.get("python", ""))
    causes = outcome.get("causes")
    if "python" in outcome and not causes:
        print(f"flake8-reqs verify: {target.entry} imported")
        return True, version
    if not isinstance(causes, list) or not causes:
        last = (stderr.strip().splitlines() or [""])[-1]
        print(f"flake8-reqs verify: {target.entry} failed: exit {returncode}: {last}")
        return False, version
    for number, (kind, message, _) in enumerate(causes):
        first = (str(message).strip().splitlines() or [""])[0]
        lead = f"flake8-reqs verify: {target.entry} failed" if number == 0 else "  caused by"
        print(f"{lead}: {kind}: {first}" if first else f"{lead}: {kind}")
    chain = outcome.get("chain")
    if isinstance(chain, list) and chain:
        print("  " + " -> ".join(_step(*step) for step in chain))
    missing = [name for kind, _, name in causes if kind == "ModuleNotFoundError" and name]
    hint = _hint(str(missing[-1]), project) if missing else ""
    if hint:
        print(f"  {hint}")
    return False, version


def _run_alone(command: list[str], root: Path, log: Path, timeout: float) -> tuple[int | None, str]:
    """Run the import in a process group of its own and end the whole group when it
    returns: a process the project's import started in the background is stopped, and is
    not waited for. Its exit status (None when it gave no answer in time) and stderr.

    stdout and stderr go to files, not pipes, whose end a background process holding
    them would delay until the timeout. A process that leaves the group (setsid, as a
    daemon does) is beyond reach.
    """
    with open(log, "w+b") as errors:
        process = subprocess.Popen(
            command,
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=hasattr(os, "killpg"),
        )
        try:
            returncode: int | None = process.wait(timeout)
        except subprocess.TimeoutExpired:
            returncode = None
        finally:
            _end_group(process)
        errors.seek(0)
        return returncode, errors.read().decode("utf-8", "replace")


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """Kill ``process`` and every process left in its group."""
    if hasattr(os, "killpg"):
        # ProcessLookupError: the group is empty, nothing was left behind.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    process.kill()  # no group on Windows; a no-op for a process that has ended
    process.wait()


def _step(path: str, line: int, where: str = "") -> str:
    """``src/api/main.py:3``; a file of an installed distribution says so."""
    return f"{Path(path).as_posix()}:{line}" + (f" ({where})" if where else "")


def _hint(name: str, project: Project) -> str:
    """For a missing module: the distribution known to provide it, unless already declared."""
    from flake8_reqs.declared.resolve import known_providers

    providers = known_providers(name)
    declared = {
        provision.requirement.name
        for provisions in project.own_state().provisions.values()
        for provision in provisions
        if provision.group is None
    }
    if not providers or declared & set(providers):
        return ""
    where = project.own_state().runtime_sources or "the runtime requirements"
    return f"'{name}' is provided by '{providers[0]}': declare it in {where}"
