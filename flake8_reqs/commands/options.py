"""The flake8 options the commands pass through: their help, and errors named for flake8-reqs."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

# flake8's own options that change what a whole-project command does: the configuration
# files, the files it reads, the codes it reports. The rest (output formatting,
# --max-line-length, ...) are accepted and change nothing; the help says so in one line.
_FLAKE8_SHOWN = (
    *("--config", "--append-config", "--isolated"),
    *("--select", "--extend-select", "--ignore", "--extend-ignore"),
    *("--exclude", "--extend-exclude", "--filename", "--disable-noqa"),
)
_FLAKE8_REST = (
    "These change what the command reads and reports; flake8's other options are\n"
    "accepted and change nothing."
)
_UNRECOGNISED = re.compile(r"^flake8: error: unrecognized arguments: (.*)$", re.MULTILINE)
_ERROR = re.compile(r"^flake8: error: (.*)$", re.MULTILINE)


def _flake8_parser() -> argparse.ArgumentParser:
    """flake8's option parser with our options registered, as flake8 builds it."""
    from flake8.main import options as flake8_options
    from flake8.options.manager import OptionManager

    from flake8_reqs.plugin import Plugin

    manager = OptionManager(version="", plugin_versions="", parents=[], formatter_names=[])
    flake8_options.register_default_options(manager)
    Plugin.add_options(manager)
    parser: argparse.ArgumentParser = manager.parser
    return parser


def _flake8_actions() -> list[argparse.Action]:
    """flake8's options: the first stage's (--config, --isolated, ...) and the rest."""
    from flake8.main.options import stage1_arg_parser

    return [*_actions(stage1_arg_parser()), *_actions(_flake8_parser())]


def _actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    # argparse has no public list of a parser's options; _actions has been there since 2.7.
    return list(parser._actions)


def add_flake8_help(parser: argparse.ArgumentParser) -> None:
    """List the --reqs-* options (with flake8's help text) and the paths in ``parser``'s help.

    Only for --help: the options themselves are parsed by flake8, after the command's own.
    """
    parser.usage = f"{parser.prog} [options] [PATH ...]"
    group = parser.add_argument_group(
        "flake8 options (also read from the flake8 configuration file, as for flake8)",
        _FLAKE8_REST,
    )
    group.add_argument(
        "paths", nargs="*", metavar="PATH", help="files and folders to check (default: .)"
    )
    own = {option for action in _actions(parser) for option in action.option_strings}
    for action in _flake8_actions():
        names = [name for name in action.option_strings if name not in own]
        if not names or not (names[0].startswith("--reqs-") or names[0] in _FLAKE8_SHOWN):
            continue
        kwargs: dict[str, Any] = {"help": action.help, "default": action.default}
        if action.nargs == 0:
            kwargs["action"] = "store_true"
        else:
            kwargs["metavar"] = action.metavar
            if action.choices:
                kwargs["choices"] = action.choices
        with contextlib.suppress(argparse.ArgumentError, ValueError, TypeError):
            group.add_argument(*names, **kwargs)


def parse_flake8_args(command: str, arguments: Sequence[str], own: Iterable[str]) -> Any:
    """flake8's options (ours included) parsed by flake8's own machinery.

    Option errors come out as ``flake8-reqs COMMAND: error: ...`` with the closest known
    option suggested; ``own`` are the command's own option strings, suggested too. An
    invalid pyproject.toml that Flake8-pyproject reads raises ReqsInputError.
    """
    from flake8.options.parse_args import parse_args

    from flake8_reqs.plugin import Plugin

    captured = io.StringIO()
    Plugin.whole_project_command = True  # `check FILE` is not an editor's run
    try:
        with contextlib.redirect_stderr(captured):
            _, options = parse_args(list(arguments))
    except SystemExit:
        sys.stderr.write(_as_ours(command, captured.getvalue(), own))
        raise
    except ValueError as error:  # tomllib.TOMLDecodeError, from Flake8-pyproject
        sys.stderr.write(captured.getvalue())
        if type(error).__name__ != "TOMLDecodeError":
            raise
        from flake8_reqs.declared.sources.pyproject import toml_error

        try:  # Flake8-pyproject reads the one in the working directory
            text = Path("pyproject.toml").read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        raise toml_error("pyproject.toml", text, error) from None
    finally:
        Plugin.whole_project_command = False  # read by parse_options, inside parse_args
    sys.stderr.write(captured.getvalue())
    return options


def _as_ours(command: str, stderr: str, own: Iterable[str]) -> str:
    """flake8's option error as the command's own; anything else unchanged."""
    unknown = _UNRECOGNISED.search(stderr)
    if unknown is not None:
        known = [*own, *(name for action in _flake8_actions() for name in action.option_strings)]
        lines = [
            _unrecognised(command, word, known)
            for word in unknown.group(1).split()
            if word.startswith("-")
        ]
        return "".join(lines) or f"flake8-reqs {command}: error: {unknown.group(1)}\n"
    error = _ERROR.search(stderr)
    if error is not None:
        return f"flake8-reqs {command}: error: {error.group(1)}\n"
    return stderr


def _unrecognised(command: str, word: str, known: Sequence[str]) -> str:
    option = word.split("=", 1)[0]
    close = difflib.get_close_matches(option, known, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"flake8-reqs {command}: error: unrecognised option {option}{hint}\n"
