"""The command line of each tool for each measurement, in a full run's venvs or in one env."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from corpora import Corpus, pyflakes_crashes, relative_import_module_calls
from measure import (
    Command,
    count_deptry,
    count_fawltydeps,
    count_flake8,
    count_reqs_json,
)

# The same --select for every flake8 run: pyflakes, pycodestyle and both plugins' codes. A code
# no installed plugin has selects nothing, so every run does the same base work.
SELECT = "--select=E,F,W,REQ,I9"
FLAKE8_TOOLS = ("flake8", "flake8-reqs", "flake8-requirements")
PEERS = ("flake8-requirements", "deptry", "fawltydeps")

# --quick runs flake8 in one environment; this drops the plugins a run must not have.
_WITHOUT_PLUGINS = """\
import sys
from flake8.main.cli import main
from flake8.plugins import finder
drop = set(filter(None, sys.argv[1].split(",")))
find = finder.find_plugins
finder.find_plugins = lambda *a, **k: [p for p in find(*a, **k) if p.entry_point.name not in drop]
sys.exit(main(sys.argv[2:]))
"""
_PLUGIN_NAME = {"flake8-reqs": "REQ", "flake8-requirements": "I90"}


@dataclass(frozen=True)
class Tools:
    """Where each tool is: a venv bin folder (full run), or the running environment (--quick)."""

    bins: dict[str, Path | None]  # None: not installed
    quick: bool
    jobs: int
    scratch: Path  # reports written by tools that only write files (deptry)

    @classmethod
    def in_venvs(cls, bins: dict[str, Path], jobs: int, scratch: Path) -> Tools:
        return cls(dict(bins), False, jobs, scratch)

    @classmethod
    def here(cls, jobs: int, scratch: Path) -> Tools:
        """The running Python's environment: flake8 and flake8-reqs, peers only if installed."""
        here = Path(sys.executable).parent
        bins: dict[str, Path | None] = {}
        for name, module in [
            ("flake8", "flake8"),
            ("flake8-reqs", "flake8_reqs"),
            ("flake8-requirements", "flake8_requirements"),
        ]:
            bins[name] = here if _importable(module) else None
        for name in ("deptry", "fawltydeps"):
            found = shutil.which(name, path=str(here)) or shutil.which(name)
            bins[name] = Path(found).parent if found else None
        return cls(bins, True, jobs, scratch)

    def has(self, name: str) -> bool:
        return self.bins.get(name) is not None

    def _bin(self, name: str) -> Path:
        folder = self.bins.get(name)
        if folder is None:
            raise LookupError(f"{name} is not installed")
        return folder

    def _flake8(self, tool: str) -> list[str]:
        if not self.quick:
            return [str(self._bin(tool) / "flake8")]
        drop = [code for name, code in _PLUGIN_NAME.items() if name != tool]
        return [sys.executable, "-c", _WITHOUT_PLUGINS, ",".join(drop)]

    def _plugin_options(self, tool: str, corpus: Corpus) -> list[str]:
        if tool == "flake8-reqs":
            return ["--reqs-file=requirements.txt"]
        if tool == "flake8-requirements":
            # Without a project name it cannot tell the corpus's own packages: name them.
            packages = ",".join(sorted(p.name for p in corpus.root.iterdir() if p.is_dir()))
            return ["--requirements-file=requirements.txt", f"--known-modules=:[{packages}]"]
        return []

    def _excluded(self, corpus: Corpus) -> list[str]:
        crashes = pyflakes_crashes(corpus.root)
        return [f"--extend-exclude={','.join(crashes)}"] if crashes else []

    def flake8_tree(self, tool: str, corpus: Corpus) -> Command:
        argv = [*self._flake8(tool), "-j", str(self.jobs), SELECT, *self._excluded(corpus)]
        argv += [*self._plugin_options(tool, corpus), "."]
        counters = {
            "flake8-reqs": count_flake8("REQ001"),
            "flake8-requirements": count_flake8("I900"),
        }
        return Command(tool, tuple(argv), corpus.root, count=counters.get(tool))

    def flake8_stdin(self, tool: str, corpus: Corpus, *, own_project: bool = False) -> Command:
        """One file on stdin, as an editor runs flake8; ``own_project``: no --reqs-file, the
        file's own project is found (a monorepo)."""
        argv = [*self._flake8(tool), SELECT]
        if not own_project:
            argv += [*self._excluded(corpus), *self._plugin_options(tool, corpus)]
        argv += ["--stdin-display-name", str(corpus.sample), "-"]
        return Command(tool, tuple(argv), corpus.root, stdin=corpus.root / corpus.sample)

    def python(self, tool: str) -> Path:
        """The Python of ``tool``'s environment."""
        return Path(sys.executable) if self.quick else self._bin(tool) / "python"

    def check_all(self, label: str, corpus: Corpus, cache: Path) -> Command:
        """``check`` of every project under the corpus root (per-project discovery), cold."""
        argv = [*self._check_program(), "check", "--cache-dir", str(cache), "-j", str(self.jobs)]
        argv += ["--format", "json"]
        clear = ("rm", "-rf", str(cache))
        return Command(label, tuple(argv), corpus.root, prepare=clear, count=count_reqs_json())

    def _check_program(self) -> list[str]:
        if self.quick:
            return [sys.executable, "-m", "flake8_reqs"]
        return [str(self._bin("flake8-reqs") / "flake8-reqs")]

    def check(
        self, label: str, corpus: Corpus, cache: Path, prepare: tuple[str, ...] | None
    ) -> Command:
        argv = [
            *self._check_program(),
            "check",
            ".",
            "--reqs-file=requirements.txt",
            "--cache-dir",
            str(cache),
        ]
        argv += ["-j", str(self.jobs), "--format", "json"]
        return Command(label, tuple(argv), corpus.root, prepare=prepare, count=count_reqs_json())

    def deptry(self, corpus: Corpus) -> tuple[Command, list[str]]:
        """deptry on the same files as the others (its default skips tests/), and what it skips."""
        report = self.scratch / f"deptry-{corpus.root.name}.json"
        skipped = relative_import_module_calls(corpus.root)
        exclude = "|".join(_regex_path(path) for path in skipped) or r"\.git/"
        argv = [str(self._bin("deptry") / "deptry"), ".", "--exclude", exclude, "-o", str(report)]
        return Command("deptry", tuple(argv), corpus.root, count=count_deptry(report)), skipped

    def fawltydeps(self, corpus: Corpus) -> Command:
        argv = [str(self._bin("fawltydeps") / "fawltydeps"), "--check-undeclared", "--code", "."]
        argv += ["--deps", "requirements.txt", "--json"]
        # fawltydeps exits 3 when it found undeclared dependencies.
        return Command(
            "fawltydeps", tuple(argv), corpus.root, ok=frozenset({0, 3}), count=count_fawltydeps
        )


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _regex_path(path: str) -> str:
    import re

    return re.escape(path) + "$"
