"""The plugin's options as flake8 gives them: each ``--reqs-*`` option's name, default and
help, how a command-line path is told from a configuration one, and whether -v was given.
An editor's run answered from its entry (project/editor_entry.py) needs only this, not
settings.py (Settings is built on the full path)."""

from __future__ import annotations

import argparse
from typing import Any

from flake8_reqs.codes import DEFAULT_OFF

DEFAULT_DEV_PATHS = (
    "tests/*",
    "test_*.py",
    "*_test.py",
    "conftest.py",
    "docs/*",
    # At the project root only: a Django app's settings/setup.py or a Celery app's
    # tasks.py is runtime code.
    "/setup.py",
    "/noxfile.py",
    "/tasks.py",
)
PLATFORMS = ("linux", "darwin", "win32")


class CliPaths(list):  # type: ignore[type-arg]
    """Paths given on the command line (anchored at the working directory)."""


def is_verbose() -> bool:
    """Whether flake8 runs with -v. Its first parser takes -v away from the options plugins
    see; what it leaves is the level it gave its own logger (flake8.configure_logging)."""
    import logging  # only here: a warm check never asks (commands/warm.py)

    level = logging.getLogger("flake8").level
    return logging.NOTSET < level <= logging.INFO


def reads_stdin(options: argparse.Namespace) -> bool:
    """Whether flake8 checks one file on stdin (``-``): an editor's run."""
    return list(getattr(options, "filenames", [])) == ["-"]


def split_list(value: str) -> list[str]:
    """Items of a comma- or newline-separated option value."""
    # str methods, not re.split: compiling a pattern costs every run that names a path.
    return [item.strip() for item in value.replace("\n", ",").split(",") if item.strip()]


class _ExtendPaths(argparse.Action):
    """Repeatable, comma-separated paths; command-line values replace config values."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        current = getattr(namespace, self.dest, None)
        paths = current if isinstance(current, CliPaths) else CliPaths()
        paths.extend(split_list(str(values)))
        setattr(namespace, self.dest, paths)


def add_options(manager: Any) -> None:
    """Register every option with flake8's option manager."""
    paths = {"action": _ExtendPaths, "parse_from_config": True, "metavar": "PATH"}
    names = dict(default="", parse_from_config=True, comma_separated_list=True, metavar="NAMES")
    manager.add_option(
        "--reqs-file",
        **paths,
        help="Runtime requirement source: requirements file, pyproject.toml, setup.cfg or "
        "setup.py (repeatable, comma-separated). Default: found in the project root.",
    )
    manager.add_option(
        "--reqs-dev-file",
        **paths,
        help="Non-runtime requirement source, e.g. requirements-dev.txt (repeatable).",
    )
    manager.add_option(
        "--reqs-dev-paths",
        default=",".join(DEFAULT_DEV_PATHS),
        parse_from_config=True,
        comma_separated_list=True,
        metavar="GLOBS",
        help="Files whose imports may also use non-runtime sets. (Default: %(default)s)",
    )
    manager.add_option(
        "--reqs-module-map",
        default="",
        parse_from_config=True,
        metavar="MAP",
        help="Import names of distributions, 'dist=mod1,mod2;dist2=mod3', over every guess.",
    )
    manager.add_option(
        "--reqs-local-modules",
        **names,
        help="Extra first-party top-level module names.",
    )
    manager.add_option(
        "--reqs-python-version",
        default=None,
        parse_from_config=True,
        metavar="X.Y",
        help="Target Python for markers, guards and the standard library. Default: the "
        "Dockerfile's, runtime.txt, .python-version, requires-python's lowest, or unknown.",
    )
    manager.add_option(
        "--reqs-platform",
        default=None,
        choices=PLATFORMS,
        parse_from_config=True,
        help="Target sys.platform for markers and guards. Default: the image's, else linux.",
    )
    manager.add_option(
        "--reqs-system-file",
        **paths,
        help="What the production image installs: Dockerfile, Containerfile, Aptfile, "
        "apt.txt, packages.txt, bindep.txt or nixpacks.toml (repeatable). "
        "Default: a Dockerfile, Containerfile or Aptfile in the project root.",
    )
    manager.add_option(
        "--reqs-docker-target",
        default=None,
        parse_from_config=True,
        metavar="STAGE",
        help="The Dockerfile stage that is shipped. Default: the last one.",
    )
    manager.add_option(
        "--reqs-system-ok",
        **names,
        help="Distributions whose system needs are handled another way (REQ101-REQ104).",
    )
    manager.add_option(
        "--reqs-runtime-groups",
        **names,
        help="Extras, groups and Pipfile categories that production installs: runtime.",
    )
    manager.add_option(
        "--reqs-lock-file",
        **paths,
        help="Lock file: uv.lock, poetry.lock, ... (repeatable). Default: beside the source.",
    )
    manager.add_option(
        "--reqs-require-sources",
        action="store_true",
        parse_from_config=True,
        help="Fail (exit 2) when no runtime requirement source is found, instead of "
        "checking nothing: for pre-commit and CI, where a silent pass hides a bad deploy.",
    )
    manager.extend_default_ignore(DEFAULT_OFF)
