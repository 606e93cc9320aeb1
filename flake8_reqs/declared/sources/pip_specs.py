"""pip's requirement forms (PEP 508, URLs, archives, local projects, editables), parsed."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import parse_sdist_filename, parse_wheel_filename

from flake8_reqs.declared.sources.pip_lines import LineProblem, lower_first, shown
from flake8_reqs.errors import ReqsInputError

# Schemes pip's is_url() takes for a URL (its VCS schemes all look like "git+https").
_URL_SCHEMES = frozenset({"http", "https", "file", "ftp", "svn"})
_VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+")
_ARCHIVE_SUFFIXES = (
    *(".whl", ".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz"),
    *(".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma"),
)
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+")  # two or more: "C:" is a drive
_EGG_RE = re.compile(r"[#&]egg=([^&]*)")


def is_url(text: str) -> bool:
    """Whether pip reads ``text`` as a URL rather than a path or a requirement."""
    scheme = _scheme(text)
    return scheme is not None and (scheme in _URL_SCHEMES or scheme.startswith(_VCS_PREFIXES))


def parse_arguments(text: str, folder: Path) -> PackagingRequirement:
    """What a requirement line's words declare, tried in pip's parse_req_from_line order."""
    if is_url(text):
        location, marker = _split_marker(text, "; ")
        return _parse_requirement("".join(_name_of_link(location, remote=True)) + marker, text)
    location, marker = _split_marker(text, ";")
    bare, extras = _split_extras(location)
    # os.path.isdir, unlike Path.is_dir, is False (not OSError) for a name too long.
    if _looks_like_path(bare) and os.path.isdir(folder / bare):
        name = _project_name(folder / bare, bare, "project")
        return _parse_requirement(name + extras + marker, text)
    if bare.lower().endswith(_ARCHIVE_SUFFIXES) and not _is_direct_reference(text):
        name, version = _name_of_link(bare, remote=False)
        return _parse_requirement(name + extras + version + marker, text)
    return _parse_requirement(text, text)


def parse_editable(value: str, folder: Path) -> PackagingRequirement:
    """What an -e line declares: its #egg= name, else the name of the local project."""
    egg = _egg_fragment(value)
    if egg:
        return _parse_requirement(egg, value)
    bare, extras = _split_extras(value)
    scheme = _scheme(bare)
    if scheme == "file":
        path = folder / _file_url_path(bare)
    elif scheme is None:
        path = folder / bare
    else:
        raise LineProblem(
            f"cannot tell the name of the editable project at '{shown(value)}'; "
            "add '#egg=name' to the URL"
        )
    if not os.path.isdir(path):
        raise LineProblem(f"editable '{shown(value)}' is not a project folder or a VCS URL")
    return _parse_requirement(_project_name(path, bare, "editable project") + extras, value)


def local_project(text: str, folder: Path, *, editable: bool) -> str | None:
    """The folder (absolute) of the local project a line's words, or an ``-e`` value,
    install: a path (``./lib``, ``../lib[extra]``), a ``file:`` URL, or a direct reference
    to one (``lib @ file:///srv/lib``); None for anything else (an index, a VCS, an archive)."""
    if not editable and not _may_name_a_folder(text):
        return None  # most lines: a name and a version, answered without parsing them
    location = _split_marker(text, "; " if is_url(text) else ";")[0]
    if not editable and _is_direct_reference(location):
        location = location.partition("@")[2].strip()
    bare = _split_extras(re.split("#", location, maxsplit=1)[0])[0]
    scheme = _scheme(bare)
    try:
        path = _file_url_path(bare) if scheme == "file" else bare if scheme is None else None
    except LineProblem:
        return None
    if path is None or (scheme is None and not editable and not _looks_like_path(path)):
        return None
    found = os.path.normpath(os.path.join(folder, path))
    return found if os.path.isdir(found) else None


def _parse_requirement(text: str, words: str) -> PackagingRequirement:
    try:
        return PackagingRequirement(text)
    except InvalidRequirement as exc:
        lines = str(exc).splitlines()
        reason = lower_first(lines[0].strip() if lines else "")
        raise LineProblem(f"invalid requirement '{shown(words)}': {reason}") from None


def _project_name(folder: Path, as_written: str, kind: str) -> str:
    # Imported here: only -e and local-folder lines need pyproject.toml and setup.cfg read.
    from flake8_reqs.declared.sources.local import read_project_name

    try:
        name = read_project_name(folder)
    except ReqsInputError as exc:
        message = f"cannot tell the name of the {kind} in '{shown(as_written)}': {exc}"
        raise LineProblem(message) from None
    if name is None:
        raise LineProblem(f"cannot tell the name of the {kind} in '{shown(as_written)}'")
    return name


def _name_of_link(location: str, *, remote: bool) -> tuple[str, str]:
    """The distribution a URL or archive path names, and ``==version`` when its file name
    gives one: its #egg= fragment, else its wheel or sdist file name (pip reads wheels)."""
    egg = _egg_fragment(location)
    if egg:
        return egg, ""
    if remote:
        filename = unquote(re.split("[?#]", location, maxsplit=1)[0].rsplit("/", 1)[-1])
    else:
        filename = os.path.basename(location)
    name = _name_of_archive(filename)
    if name is None:
        remedy = "; add '#egg=name' to the URL" if remote else ""
        raise LineProblem(
            f"cannot tell the name of the distribution at '{shown(location)}'{remedy}"
        )
    return name


def _name_of_archive(filename: str) -> tuple[str, str] | None:
    try:
        if filename.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
        else:
            name, version = parse_sdist_filename(filename)
    except ValueError:  # packaging's InvalidWheelFilename and InvalidSdistFilename
        return None
    return name, f"=={version}"


def _egg_fragment(location: str) -> str | None:
    found = _EGG_RE.search(location)
    return found.group(1) if found else None


def _file_url_path(url: str) -> str:
    # urllib.request imports http.client, ssl and hashlib: only for a file: URL
    from urllib.request import url2pathname

    try:
        return url2pathname(urlsplit(url).path)
    except ValueError:  # a malformed authority, such as "file://[x/"
        raise LineProblem(f"editable '{shown(url)}' is not a project folder or a VCS URL") from None


def _scheme(text: str) -> str | None:
    scheme, colon, _ = text.partition(":")
    return scheme.lower() if colon and _SCHEME_RE.fullmatch(scheme) else None


def _may_name_a_folder(text: str) -> bool:
    """Whether a line's words could name a local folder: a path starts with '.' or holds a
    separator, and a URL to a folder is a ``file:`` one."""
    return text.lstrip().startswith(".") or "/" in text or "\\" in text or "file:" in text.lower()


def _looks_like_path(text: str) -> bool:
    return text.startswith(".") or os.sep in text or (os.altsep is not None and os.altsep in text)


def _is_direct_reference(text: str) -> bool:
    """``name @ url`` rather than a path that happens to hold an '@' (pip's test)."""
    before, at, _ = text.partition("@")
    return bool(at) and not _looks_like_path(before)


def _split_marker(text: str, separator: str) -> tuple[str, str]:
    location, _, marker = text.partition(separator)
    return location.strip(), f" ; {marker.strip()}" if marker.strip() else ""


def _split_extras(text: str) -> tuple[str, str]:
    """``("./pkg", "[dev]")`` from ``"./pkg[dev]"``, as pip's _strip_extras (without a regex
    that backtracks quadratically over a long run of '[')."""
    if text.endswith("]"):
        start = text.rfind("[", 0, len(text) - 2)
        if start > 0 and "]" not in text[start + 1 : -1]:
            return text[:start], text[start:]
    return text, ""
