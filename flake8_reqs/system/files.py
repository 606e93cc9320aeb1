"""System files: the OS packages an image installs, read from Dockerfiles and package lists."""

from __future__ import annotations

import re
from pathlib import Path

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import read_text
from flake8_reqs.named_tuple import NamedTuple
from flake8_reqs.system.native import NativeNeed

LIST_FILES = ("aptfile", "apt.txt", "packages.txt")  # one Debian package per line
_DPKG_PLATFORMS = frozenset({"dpkg", "debian", "ubuntu"})
# The version at the end of a name: libpq5, libldap-2.5-0, libharfbuzz0b, libmagickwand-6.q16-6.
_VERSION_SUFFIX = re.compile(r"(?<=.)[-.]?\d[\d.]*(?:[a-z]+\d*)?(?:[-.]\d[\d.]*(?:[a-z]+\d*)?)*$")


# Packages any one of which stands for another in a need's list: a C compiler for
# build-essential (gcc builds a C extension; Debian's build-essential only adds make, g++ and
# dpkg-dev), and pkgconf for pkg-config (Debian 12's pkg-config is pkgconf). Compared as stems.
_INTERCHANGEABLE = (
    frozenset({"build-essential", "gcc", "g++", "clang", "build-base", "gcc-c++", "alpine-sdk"}),
    frozenset({"pkg-config", "pkgconf", "pkgconf-pkg-config", "pkgconfig"}),
)


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class SystemPackages(NamedTuple):
    """What one system file installs. ``family`` is "debian", "alpine", "fedora" or None."""

    family: str | None
    packages: frozenset[str]  # what the file installs (in the shipped stage)
    errors: tuple[ReqsInputError, ...] = ()
    commands: frozenset[str] = frozenset()  # what RUN lines run, as shell_installs.command_key
    # Packages present at some point in the stages that build wheels: the shipped stage (and
    # those it is built FROM), and the builder stages whose files it copies (COPY --from).
    build_packages: frozenset[str] = frozenset()
    base: str | None = None  # the shipped stage's first FROM, variables expanded
    base_packages: frozenset[str] = frozenset()  # what that image has (base_images.toml)
    # True for a Dockerfile, which shows where wheels are built. A package list (Aptfile, ...)
    # does not: the platform builds with what it has (Heroku's build image has gcc and
    # libpq-dev), so a build need's run-time packages are enough there.
    sees_builds: bool = False


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class Coverage(NamedTuple):
    """How far a system meets a need: the items (``"a | b"``, as in native.toml) missing
    for ``family``, from the shipped image (``runtime``) and from the stages that build
    wheels (``build``, for a build need)."""

    met: bool
    family: str | None
    runtime: tuple[str, ...] = ()
    build: tuple[str, ...] = ()


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

    return SystemPackages(*read_dockerfile(text, display, target), sees_builds=True)


def is_system_file(path: Path) -> bool:
    """True for the file names read_system_file knows."""
    return path.name.lower() in (*LIST_FILES, "bindep.txt", "nixpacks.toml") or is_dockerfile(path)


def is_dockerfile(path: Path) -> bool:
    """True for a Dockerfile or Containerfile name: ``Dockerfile.prod``, ``app.containerfile``."""
    name = path.name.lower()
    return (
        name in ("dockerfile", "containerfile")
        or name.startswith(("dockerfile.", "containerfile."))
        or name.endswith((".dockerfile", ".containerfile"))
    )


def is_provided(need: NativeNeed, system: SystemPackages) -> bool:
    """True when ``system`` meets all of ``need`` (see ``coverage``)."""
    return coverage(need, system).met


def coverage(need: NativeNeed, system: SystemPackages) -> Coverage:
    """What of ``need`` ``system`` has.

    A need is met when the shipped image has every one of its packages (an item ``a | b``
    when it has either), or runs the need's setup command. A build need also needs every
    build package in a stage that builds wheels, when the system file shows them
    (``sees_builds``); the shipped image then needs only the run-time packages. Only the
    packages of ``system.family`` count; when it is unknown, the need is met when the
    packages of any one family are all there. Names match without their version and -dev
    suffixes: libpq5 and libpq-dev both provide libpq5.
    """
    if need.setup:
        from flake8_reqs.system.shell_installs import command_key, split_commands

        commands, _ = split_commands(need.setup)
        if any(command_key(words) in system.commands for words in commands):
            return Coverage(True, system.family)  # the image runs `playwright install ...`
    families: list[str | None] = [system.family]
    if system.family is None:  # any family's packages; [None] for a setup command only
        families = [*{**need.packages, **need.build_packages}] or [None]
    shipped = _Stems(system.packages | system.base_packages)
    building = _Stems(system.packages | system.base_packages | system.build_packages)
    found = []
    for family in families:
        runtime = need.packages.get(family, ()) if family else ()
        build = need.build_packages.get(family, ()) if family and need.kind == "build" else ()
        if runtime and not system.sees_builds and not shipped.missing(runtime):
            build = ()  # where the wheel is built is not known: its run-time packages suffice
        if not runtime and not build:  # nothing to install this family has: not met
            found.append(Coverage(False, family))
            continue
        missing = Coverage(False, family, shipped.missing(runtime), building.missing(build))
        if not missing.runtime and not missing.build:
            return missing._replace(met=True)
        found.append(missing)
    return found[0]


class _Stems:
    """Installed packages by stem: any package meets an item of its stem (libpq-dev meets
    libpq5), but only a header package meets a header item (libpq5 does not meet libpq-dev)."""

    def __init__(self, packages: frozenset[str]) -> None:
        self.all = {_stem(package) for package in packages}
        self.headers = {_stem(package) for package in packages if _is_headers(package)}

    def missing(self, items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(item for item in items if not self._has(item))

    def _has(self, item: str) -> bool:
        for alternative in item.split("|"):
            stems = self.headers if _is_headers(alternative) else self.all
            stem = _stem(alternative)
            if stem in stems:
                return True
            if any(stem in group and not group.isdisjoint(stems) for group in _INTERCHANGEABLE):
                return True
        return False


def _is_headers(package: str) -> bool:
    return package.strip().lower().partition(":")[0].endswith(("-dev", "-devel"))


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
    from flake8_reqs.toml_document import TomlError, load_toml

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
