"""Running commands: interleaved timed rounds, peak memory, and counting what tools reported."""

from __future__ import annotations

import json
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class CommandFailed(Exception):
    """A command exited with a status it should not have; the message has its stderr tail."""


@dataclass(frozen=True)
class Findings:
    """What a tool reported as undeclared: report lines (sites) and distinct top-level modules."""

    sites: int
    modules: int

    def __str__(self) -> str:
        return f"{self.sites} ({self.modules} modules)"


@dataclass(frozen=True)
class Command:
    label: str
    argv: tuple[str, ...]
    cwd: Path
    ok: frozenset[int] = frozenset({0, 1})
    stdin: Path | None = None
    prepare: tuple[str, ...] | None = None  # run, untimed, before every timed run
    count: Callable[[str], Findings] | None = None  # reads the first run's stdout

    def shell_line(self) -> str:
        line = shlex.join(self.argv)
        return f"{line} < {self.stdin}" if self.stdin else line


@dataclass
class Sample:
    label: str
    seconds: list[float] = field(default_factory=list)  # wall time of each timed run
    cpu: list[float] = field(default_factory=list)  # user + system, the whole process tree
    peak_kb: int = 0
    findings: Findings | None = None
    command: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    def spread(self, scale: float = 1.0, digits: int = 2) -> str:
        """Wall time: 'median (min-max)' in the given unit."""
        return _spread(self.seconds, scale, digits)

    def cpu_spread(self, scale: float = 1.0, digits: int = 2) -> str:
        """CPU time: 'median (min-max)' in the given unit."""
        return _spread(self.cpu, scale, digits) if self.cpu else "n/a"


def _spread(values: list[float], scale: float, digits: int) -> str:
    low, high = min(values) * scale, max(values) * scale
    middle = statistics.median(values) * scale
    return f"{middle:.{digits}f} ({low:.{digits}f}-{high:.{digits}f})"


def _children_cpu() -> float:
    """User + system seconds of every waited-for child so far: a child's own waited-for
    children (flake8's -j workers) are in it, so a delta is the whole tree's."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# Memory is measured by a small parent that waits for the tool: ru_maxrss of a child also
# counts the memory of the process it was forked from, so the benchmark itself (tens of MB)
# must not be that parent. GNU time when installed, else a minimal Python.
_TIME = "/usr/bin/time"
_LAUNCHER = """\
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def _with_memory(argv: Sequence[str], report: Path) -> list[str]:
    if os.access(_TIME, os.X_OK):
        return [_TIME, "-f", "%M", "-o", str(report), *argv]
    return [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(report), *argv]


def memory_tool() -> str:
    return "GNU time (%M)" if os.access(_TIME, os.X_OK) else "wait4 in a minimal Python parent"


def run_once(
    command: Command, count: bool = False, memory: bool = False
) -> tuple[float, float, int, Findings | None]:
    """Run ``command`` once: wall seconds, CPU seconds (user + system of its whole process
    tree), peak RSS in KiB (0 unless ``memory``), findings.

    The peak is ru_maxrss: the largest single process of the tool's tree (what
    ``/usr/bin/time -v`` reports), not a sum over parallel workers. Timed runs do not
    pass ``memory``, so that no extra parent process is timed. Raises CommandFailed on an
    unexpected exit status, a Python traceback on stderr, or output that cannot be read.
    """
    if command.prepare:
        subprocess.run(command.prepare, check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as folder:
        out_path, err_path, rss_path = (Path(folder) / name for name in ("out", "err", "rss"))
        argv = _with_memory(command.argv, rss_path) if memory else list(command.argv)
        capture = count and command.count is not None
        stdin = command.stdin.open("rb") if command.stdin else None
        try:
            with out_path.open("wb") as out, err_path.open("wb") as err:
                cpu_before = _children_cpu()
                start = time.perf_counter()
                code = subprocess.call(
                    argv,
                    cwd=command.cwd,
                    stdin=stdin or subprocess.DEVNULL,
                    stdout=out if capture else subprocess.DEVNULL,
                    stderr=err,
                )
                seconds = time.perf_counter() - start
                cpu = _children_cpu() - cpu_before
        finally:
            if stdin:
                stdin.close()
        stderr = err_path.read_text(errors="replace")
        # A crash in a worker can still end with an "ordinary" exit status of 1.
        if code not in command.ok or "Traceback (most recent call last)" in stderr:
            raise _failed(command, f"exit {code} (expected {sorted(command.ok)})", stderr)
        # flake8 reports a check that crashed on one file in its output, exits 1 and stops.
        if capture and '" failed during execution due to ' in out_path.read_text(errors="replace"):
            stdout = out_path.read_text(errors="replace")
            raise _failed(command, "a flake8 check crashed", stdout)
        findings = None
        if capture and command.count is not None:
            try:
                findings = command.count(out_path.read_text(errors="replace"))
            except (ValueError, KeyError, TypeError, OSError) as error:
                raise _failed(command, f"output not understood ({error!r})", stderr) from None
        peak = int(rss_path.read_text().split()[-1]) if memory else 0
        return seconds, cpu, peak, findings


def _failed(command: Command, what: str, stderr: str) -> CommandFailed:
    lines = stderr.strip().splitlines()
    tail = lines[-12:]
    if len(lines) > len(tail):
        tail.insert(0, "  ...")
    return CommandFailed(
        f"{command.label}: {what} from\n  (cd {command.cwd} && {command.shell_line()})\n"
        + "\n".join(tail)
    )


def compare(
    commands: Sequence[Command], reps: int, timer: str, failures: list[str]
) -> dict[str, Sample]:
    """Time ``commands`` in interleaved rounds (A B, then B A, ...) after two untimed runs each.

    The first untimed run checks the exit status and counts the findings (and fills a
    cache that is meant to be warm); the second measures peak memory. A command that fails
    either is left out of the rounds, and its error is appended to ``failures``, so that
    one tool's crash does not cost the others their numbers.
    """
    samples = {c.label: Sample(c.label, command=c.shell_line()) for c in commands}
    working = []
    for command in commands:
        try:
            samples[command.label].findings = run_once(command, count=True)[3]
            samples[command.label].peak_kb = run_once(command, memory=True)[2]
        except CommandFailed as error:
            failures.append(str(error))
            del samples[command.label]
        else:
            working.append(command)
    commands = working
    use_hyperfine = timer == "hyperfine" and _hyperfine_can_run(commands)
    for round_ in range(reps):
        order = list(commands) if round_ % 2 == 0 else list(reversed(commands))
        if use_hyperfine:
            for label, (seconds, cpu) in _hyperfine_round(order).items():
                samples[label].seconds.append(seconds)
                samples[label].cpu.append(cpu)
            continue
        for command in order:
            seconds, cpu, *_ = run_once(command)
            samples[command.label].seconds.append(seconds)
            samples[command.label].cpu.append(cpu)
    return samples


def _hyperfine_can_run(commands: Sequence[Command]) -> bool:
    # hyperfine 1.15 (Debian 12) has no --input for stdin, and one call has one directory.
    return (
        shutil.which("hyperfine") is not None
        and all(c.stdin is None for c in commands)
        and len({c.cwd for c in commands}) == 1
    )


def _hyperfine_round(order: Sequence[Command]) -> dict[str, tuple[float, float]]:
    """One run of each command, in this order, timed by hyperfine without a shell: wall and
    CPU (user + system) seconds."""
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "round.json"
        argv = ["hyperfine", "-N", "--runs", "1", "-i", "--style", "none"]
        argv += ["--export-json", str(export)]
        if any(c.prepare for c in order):
            for command in order:
                argv += ["--prepare", shlex.join(command.prepare or ("true",))]
        for command in order:
            argv += ["--command-name", command.label]
        argv += [shlex.join(c.argv) for c in order]
        done = subprocess.run(argv, cwd=order[0].cwd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise CommandFailed(f"hyperfine failed (exit {done.returncode}):\n{done.stderr}")
        results = json.loads(export.read_text())["results"]
    times = {}
    for command, result in zip(order, results):
        codes = set(result.get("exit_codes") or [])
        if not codes <= command.ok:
            raise CommandFailed(f"{command.label}: exit {sorted(codes)} under hyperfine")
        times[command.label] = (result["times"][0], result["user"] + result["system"])
    return times


# Counting what each tool reported as undeclared, from its output.


def _top(module: str) -> str:
    return module.split(".")[0]


def count_flake8(code_prefix: str) -> Callable[[str], Findings]:
    """Lines of flake8 output with codes starting ``code_prefix``; modules from the message."""
    pattern = re.compile(rf":\d+:\d+: ({code_prefix}\d*) '([^']+)'")

    def count(out: str) -> Findings:
        found = [match.group(2) for match in pattern.finditer(out)]
        return Findings(len(found), len({_top(name) for name in found}))

    return count


def count_reqs_json(codes: tuple[str, ...] = ("REQ001",)) -> Callable[[str], Findings]:
    def count(out: str) -> Findings:
        found = [f["module"] for f in json.loads(out)["findings"] if f["code"] in codes]
        return Findings(len(found), len({_top(name) for name in found}))

    return count


def count_deptry(report: Path) -> Callable[[str], Findings]:
    """DEP001 (missing) and DEP003 (transitive only) from deptry's --json-output file."""

    def count(out: str) -> Findings:
        issues = json.loads(report.read_text())
        found = [i["module"] for i in issues if i["error"]["code"] in ("DEP001", "DEP003")]
        return Findings(len(found), len({_top(name) for name in found}))

    return count


def count_fawltydeps(out: str) -> Findings:
    undeclared = json.loads(out)["undeclared_deps"]
    sites = sum(len(dep["references"]) for dep in undeclared)
    return Findings(sites, len({_top(dep["name"]) for dep in undeclared}))
