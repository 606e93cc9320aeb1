"""The results: collected rows, the targets judged PASS/FAIL, the printed table and RESULTS.md."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import envs
from corpora import Corpus
from measure import Sample, memory_tool
from tools import Tools


@dataclass(frozen=True)
class Row:
    section: str
    corpus: Corpus
    sample: Sample
    baseline: Sample | None


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    passed: bool | None  # None: not measured


@dataclass
class Results:
    machine: dict[str, str]
    versions: dict[str, str]
    reps: int
    timer: str
    quick: bool
    rows: list[Row] = field(default_factory=list)
    corpora: list[Corpus] = field(default_factory=list)
    scaled: dict[int, int] = field(default_factory=dict)  # factor -> Python files
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # commands that failed, with stderr
    # (target, value, check, format) from bench/state_lines.py --json
    state_targets: list[tuple[str, float | None, Callable[[float], bool], str]] = field(
        default_factory=list
    )
    state_rows: list[str] = field(default_factory=list)  # its table, for RESULTS.md

    @classmethod
    def start(cls, tools: Tools, reps: int, timer: str, quick: bool) -> Results:
        versions = {}
        for name, bin_path in tools.bins.items():
            if bin_path is None:
                versions[name] = "not installed"
            elif quick:
                versions[name] = importlib.metadata.version(envs.DIST_OF[name])
            else:
                versions[name] = envs.version_of(bin_path, envs.DIST_OF[name])
        machine = _machine()
        machine["peak memory measured by"] = memory_tool()
        ours = tools.bins.get("flake8-reqs")
        if not quick and ours is not None:
            count = envs.count_distributions(ours)
            machine["installed distributions per environment"] = f"{count} (bench/editor-env.txt)"
        return cls(machine, versions, reps, timer, quick)

    def add(
        self, section: str, corpus: Corpus, samples: dict[str, Sample], baseline: str | None
    ) -> None:
        # The baseline is in this group, or in an earlier group of the same section.
        base = samples.get(baseline) if baseline else None
        if baseline and base is None:
            base = self.find(section, baseline, corpus)
        self.rows.extend(Row(section, corpus, sample, base) for sample in samples.values())

    def find(self, section: str, label: str, corpus: Corpus | None = None) -> Sample | None:
        for row in self.rows:
            if (
                row.section == section
                and row.sample.label == label
                and corpus in (None, row.corpus)
            ):
                return row.sample
        return None

    def evaluate(self, large: Corpus) -> None:
        """Judge the targets (issue 18): on the large corpus, and on every corpus for check."""
        base = self.find("plugin cost", "flake8", large)
        ours = self.find("plugin cost", "flake8-reqs", large)
        theirs = self.find("plugin cost", "flake8-requirements", large)
        ratio = ours.median_cpu / base.median_cpu if ours and base and base.cpu else None
        other = theirs.median_cpu / base.median_cpu if theirs and base and base.cpu else None
        self._judge(
            "plugin overhead <= 1.02x flake8 alone (CPU time, median)",
            ratio,
            lambda r: r <= 1.02,
            "{:.3f}x",
        )
        self.targets.append(
            Target(
                "plugin overhead lower than flake8-requirements' (CPU time)",
                f"{ratio:.3f}x vs {other:.3f}x" if ratio and other else "n/a",
                ratio < other if ratio and other else None,
            )
        )
        for section, where in (("editor latency", "large"), ("editor, monorepo", "monorepo")):
            editor_base = self.find(section, "flake8")
            editor = self.find(section, "flake8-reqs")
            added = (editor.median - editor_base.median) * 1000 if editor and editor_base else None
            self._judge(
                f"editor latency added <= 5 ms (median, {where})",
                added,
                lambda ms: ms <= 5,
                "{:+.1f} ms",
            )
        for corpus in self.corpora:
            deptry = self.find("project check", "deptry", corpus)
            cold = self.find("project check", "check cold", corpus)
            warm = self.find("project check", "check warm", corpus)
            self._judge(
                f"check cold <= deptry, {corpus.name}",
                cold.median / deptry.median if cold and deptry else None,
                lambda r: r <= 1.0,
                "{:.2f}x deptry",
            )
            self._judge(
                f"check warm >= 10x faster than deptry, {corpus.name}",
                deptry.median / warm.median if warm and deptry else None,
                lambda r: r >= 10,
                "{:.1f}x faster",
            )
        for name, value, check, form in self.state_targets:
            self._judge(name, value, check, form)
        four = self.find("scaling", "check cold x4", large)
        peak = four.peak_kb / 1024 if four else None
        self._judge("peak memory < 250 MB on the 4x corpus", peak, lambda mb: mb < 250, "{:.0f} MB")
        monorepo = self.find("monorepo", "check cold, 50 projects")
        peak = monorepo.peak_kb / 1024 if monorepo else None
        self._judge(
            "peak memory < 300 MB, monorepo of 50 projects x 100 files",
            peak,
            lambda mb: mb < 300,
            "{:.0f} MB",
        )
        one = self.find("scaling", "check cold x1", large)
        growth = [
            sample.median / (factor * one.median)
            for factor in (2, 4)
            if one and (sample := self.find("scaling", f"check cold x{factor}", large))
        ]
        self._judge(
            "check linear in corpus size within 15 % (time at kx <= 1.15 x k x time at 1x)",
            max(growth) if growth else None,
            lambda g: g <= 1.15,
            "{:.2f} of linear",
        )
        few = self.find("monorepo", "check cold, 10 projects")
        many = self.find("monorepo", "check cold, 50 projects")
        self._judge(
            "check linear in projects within 15 % (time at 50 <= 1.15 x 5 x time at 10)",
            many.median / (5 * few.median) if few and many else None,
            lambda g: g <= 1.15,
            "{:.2f} of linear",
        )

    def _judge(
        self, name: str, value: float | None, check: Callable[[float], bool], form: str
    ) -> None:
        if value is None:
            self.targets.append(Target(name, "n/a", None))
        else:
            self.targets.append(Target(name, form.format(value), bool(check(value))))


_LEGEND = (
    "Undeclared: reports of imports not declared (flake8-reqs REQ001, flake8-requirements I900,\n"
    "deptry DEP001+DEP003, fawltydeps undeclared references), and the distinct top-level\n"
    "modules among them. Peak MB: the largest single process (ru_maxrss), not a sum over\n"
    "parallel workers."
)
HEADER = [
    "section",
    "corpus",
    "tool",
    "wall median (min-max)",
    "CPU median (min-max)",
    "vs (wall; CPU)",
    "peak MB",
    "undeclared",
]


def _cells(row: Row) -> list[str]:
    sample, base = row.sample, row.baseline
    ms = row.section.startswith("editor")
    scale, unit, digits = (1000, " ms", 1) if ms else (1, " s", 3)
    time = sample.spread(scale, digits) + unit
    cpu = sample.cpu_spread(scale, digits) + (unit if sample.cpu else "")
    versus = ""
    if base is not None and base is not sample:
        cpu_ratio = sample.median_cpu / base.median_cpu if sample.cpu and base.median_cpu else 0
        versus = f"{sample.median / base.median:.3f}x; {cpu_ratio:.3f}x {base.label}"
        if ms:
            added = (sample.median - base.median) * 1000
            added_cpu = (sample.median_cpu - base.median_cpu) * 1000 if sample.cpu else 0
            versus = f"{added:+.1f} ms; {added_cpu:+.1f} ms"
    corpus = f"{row.corpus.name} ({row.corpus.files} files)"
    if row.section == "scaling":
        corpus = row.sample.label.rsplit(" ", 1)[-1]
    findings = str(sample.findings) if sample.findings else ""
    peak = f"{sample.peak_kb / 1024:.0f}"
    return [row.section, corpus, sample.label, time, cpu, versus, peak, findings]


def table(results: Results) -> str:
    """The plain-text table printed at the end of a run."""
    lines = [HEADER, *(_cells(row) for row in results.rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    out = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)) for line in lines]
    out.insert(1, "  ".join("-" * width for width in widths))
    out.append("")
    out += [f"{_verdict(t):4}  {t.name}: {t.measured}" for t in results.targets]
    out += [f"skipped: {name}: not installed" for name in results.skipped]
    out += [f"FAILED: {failure.splitlines()[0]}" for failure in results.failures]
    return "\n".join(out)


def _verdict(target: Target) -> str:
    return {True: "PASS", False: "FAIL", None: "n/a"}[target.passed]


def markdown(results: Results) -> str:
    """RESULTS.md: machine, versions, corpora, every number, the targets, the exact commands."""
    out = ["# flake8-reqs benchmark results", ""]
    out += ["Written by `python bench/run.py`; see `bench/README.md` for the method.", ""]
    out += ["## Machine", ""] + [f"- {key}: {value}" for key, value in results.machine.items()]
    out += [f"- repetitions: {results.reps} interleaved rounds, after two untimed runs each"]
    out += [f"- timer: {_timer_name(results.timer)}", ""]
    out += ["## Tools", ""] + [f"- {name}: {version}" for name, version in results.versions.items()]
    out += ["", "## Corpora", ""]
    out += [f"- {c.name}: {c.files} Python files from {c.description}" for c in results.corpora]
    out += [f"- scaling: {factor}x = {files} files" for factor, files in results.scaled.items()]
    out += ["", "## Targets", "", "| result | target | measured |", "| --- | --- | --- |"]
    out += [f"| {_verdict(t)} | {t.name} | {t.measured} |" for t in results.targets]
    out += ["", "## Numbers", "", "| " + " | ".join(HEADER) + " |"]
    out += ["| " + " | ".join(["---"] * len(HEADER)) + " |"]
    out += ["| " + " | ".join(_cells(row)) + " |" for row in results.rows]
    out += ["", _LEGEND, ""]
    if results.state_rows:
        out += ["## State building (bench/state_lines.py)", "", *results.state_rows, ""]
    if results.notes or results.skipped:
        out += ["## Notes", ""] + [f"- {note}" for note in results.notes]
        out += [f"- {name}: skipped: not installed" for name in results.skipped]
        out += [""]
    if results.failures:
        out += ["## Failures", "", "These measurements are missing: a command failed.", ""]
        for failure in results.failures:
            out += ["```", failure, "```", ""]
    out += ["## Commands", ""]
    seen = set()
    for row in results.rows:
        key = (row.corpus.root, row.sample.command)
        if key not in seen:
            seen.add(key)
            out += [f"- {row.section}, {row.sample.label}, in `{row.corpus.root.name}/`:"]
            out += [f"  `{row.sample.command}`"]
    return "\n".join(out) + "\n"


def _machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": f"{os.cpu_count()} ({cpu})",
        "memory": memory,
        "OS": _os_name(),
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "flake8-reqs source": _commit(),
    }


def _timer_name(timer: str) -> str:
    if timer != "hyperfine":
        return "time.perf_counter around subprocess.call"
    try:
        version = subprocess.run(
            ["hyperfine", "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        version = "hyperfine"
    return f"{version}, one `hyperfine -N --runs 1` call per round"


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip(chr(34))}, {platform.platform()}"
    except OSError:
        pass
    return platform.platform()


def _commit() -> str:
    repo = envs.REPO
    try:
        head = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(repo), "status", "--porcelain", "--", "flake8_reqs"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head}" + (" with uncommitted changes" if dirty else "")
