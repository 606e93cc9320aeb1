"""System files: the OS packages an image installs, read from Dockerfiles and package lists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import read_text
from flake8_reqs.system.native import NativeNeed

LIST_FILES = ("aptfile", "apt.txt", "packages.txt")  # one Debian package per line
_DPKG_PLATFORMS = frozenset({"dpkg", "debian", "ubuntu"})
# The version at the end of a name: libpq5, libldap-2.5-0, libharfbuzz0b, libmagickwand-6.q16-6.
_VERSION_SUFFIX = re.compile(r"(?<=.)[-.]?\d[\d.]*(?:[a-z]+\d*)?(?:[-.]\d[\d.]*(?:[a-z]+\d*)?)*$")


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class SystemPackages(NamedTuple):
    """What one system file installs. ``family`` is "debian", "alpine", "fedora" or None."""

    family: str | None
    packages: frozenset[str]
    errors: tuple[ReqsInputError, ...] = ()
    commands: frozenset[str] = frozenset()  # what RUN lines run, as shell_installs.command_key


def read_system_file(path: Path, display: str, target: str | None = None) -> SystemPackages:
    """The packages ``path`` installs, by the format its name calls for.

    ``target`` picks the shipped stage of a Dockerfile. Problems inside the file are in
    ``errors``, with whatever could be read; raises ReqsInputError only when the file
    itself cannot be read.
    """
    name = path.name.lower()
    if not is_system_file(path):
        message = (
            "not a known system file: expected a Dockerfile, Containerfile, Aptfile, "
            "apt.txt, packages.txt, bindep.txt or nixpacks.toml"
        )
        return SystemPackages(None, frozenset(), (ReqsInputError(display, None, message),))

    text = read_text(path, display)
    if name in LIST_FILES:
        return SystemPackages("debian", _read_list(text))
    if name == "bindep.txt":
        return _read_bindep(text, display)
    if name == "nixpacks.toml":
        return _read_nixpacks(text, display)
    from flake8_reqs.system.dockerfile import read_dockerfile

    return SystemPackages(*read_dockerfile(text, display, target))


def is_system_file(path: Path) -> bool:
    """True for the file names read_system_file knows."""
    name = path.name.lower()
    return (
        name in (*LIST_FILES, "bindep.txt", "nixpacks.toml", "dockerfile", "containerfile")
        or name.startswith(("dockerfile.", "containerfile."))
        or name.endswith((".dockerfile", ".containerfile"))
    )


def is_provided(need: NativeNeed, system: SystemPackages) -> bool:
    """True when ``system`` installs any package that provides ``need``, or runs the
    need's setup command.

    Only the packages of ``system.family`` count, or those of every family when it is
    unknown. Names match without their version and -dev suffixes: libpq5 and libpq-dev
    both provide libpq5. A build need counts as provided by its run-time packages (the
    wheel was built in an earlier stage), or by its build packages when it has none.
    """
    if need.setup:
        from flake8_reqs.system.shell_installs import command_key, split_commands

        commands, _ = split_commands(need.setup)
        if any(command_key(words) in system.commands for words in commands):
            return True  # the image runs the setup command (`playwright install ...`)
    families = [system.family] if system.family else [*need.packages, *need.build_packages]
    wanted: set[str] = set()
    for family in families:
        names = need.packages.get(family) or need.build_packages.get(family) or ()
        wanted.update(_stem(alternative) for item in names for alternative in item.split("|"))
    return any(_stem(package) in wanted for package in system.packages)


def _stem(package: str) -> str:
    """``libmagic1t64`` -> ``libmagic``, ``libpango1.0-dev`` -> ``libpango``,
    ``so:libpango-1.0.so.0`` -> ``libpango``, ``file-libs`` -> ``file``."""
    name = package.strip().lower()
    if name.startswith("so:"):
        name = name[3:].partition(".so")[0]
    name = name.partition(":")[0]  # libpq5:amd64
    for suffix in ("-devel", "-dev", "-libs"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return _VERSION_SUFFIX.sub("", name.removesuffix("t64"))


def _read_list(text: str) -> frozenset[str]:
    """Aptfile, apt.txt, packages.txt: package names, ``#`` comments."""
    packages: set[str] = set()
    for line in text.splitlines():
        words = line.partition("#")[0].split()
        # Heroku's Aptfile also takes ":repo:..." lines and .deb URLs: not package names.
        if words and not words[0].startswith(":"):
            packages.update(w for w in words if "://" not in w and not w.endswith(".deb"))
    return frozenset(re.split(r"[=:]", name, maxsplit=1)[0] for name in packages)


def _read_bindep(text: str, display: str) -> SystemPackages:
    """bindep.txt: ``name [selectors] [version]``; keeps what a dpkg system installs by
    default (untagged, or platform:dpkg/debian/ubuntu, and no profile such as [test])."""
    packages = set()
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        name, _, rest = line.partition("#")[0].strip().partition(" ")
        if not name:
            continue
        selectors: list[str] = []
        if "[" in rest:
            if "]" not in rest:
                errors.append(ReqsInputError(display, number, "'[' without a closing ']'"))
            selectors = rest.partition("[")[2].partition("]")[0].split()
        if _is_default_on_dpkg(selectors):
            packages.add(name)
    return SystemPackages("debian", frozenset(packages), tuple(errors))


def _is_default_on_dpkg(selectors: list[str]) -> bool:
    def on_dpkg(selector: str) -> bool:
        return selector.partition(":")[2].partition("-")[0] in _DPKG_PLATFORMS

    platforms = [s for s in selectors if s.startswith("platform:")]
    excluded = [s[1:] for s in selectors if s.startswith("!platform:")]
    profiles = [s for s in selectors if not s.startswith(("platform:", "!"))]
    return (
        not profiles
        and (not platforms or any(map(on_dpkg, platforms)))
        and not any(map(on_dpkg, excluded))
    )


def _read_nixpacks(text: str, display: str) -> SystemPackages:
    """nixpacks.toml: ``[phases.setup] aptPkgs``; "..." (the defaults) is not a package."""
    from flake8_reqs.declared.sources.toml_document import TomlError, load_toml

    try:
        data = load_toml(text)
    except TomlError as exc:
        error = ReqsInputError(display, exc.line, exc.message)
        return SystemPackages("debian", frozenset(), (error,))
    phases = data.get("phases", {})
    setup = phases.get("setup", {}) if isinstance(phases, dict) else None
    names = setup.get("aptPkgs", []) if isinstance(setup, dict) else None
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        error = ReqsInputError(display, None, "[phases.setup] aptPkgs is not a list of names")
        return SystemPackages("debian", frozenset(), (error,))
    return SystemPackages("debian", frozenset(name for name in names if name != "..."))
