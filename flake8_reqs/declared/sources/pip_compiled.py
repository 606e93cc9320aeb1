"""pip-compile and uv export output: a requirements file whose ``# via`` comments say who
needs each pin."""

from __future__ import annotations

import io
import re
from pathlib import Path

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as PackagingRequirement
from packaging.utils import canonicalize_name

from flake8_reqs.declared.locked import Lock, Locked
from flake8_reqs.declared.sources.pip_lines import TextDecodeError, decode_text
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import read_bytes

_VIA = re.compile(r"#\s*via\b(.*)$")
_MORE = re.compile(r"^\s*#\s{2,}(\S.*)$")  # "#   sympy", the lines of a "# via" block


def read_compiled(path: Path, display: str, text: str | None = None) -> Lock:
    """Every pin of a compiled requirements file, with the distributions its ``# via``
    comments name (``via``), and ``direct`` when one names the input file (``-r
    requirements.in``) or the project (``myproject (pyproject.toml)``).

    A file without ``# via`` comments is not compiled output: no packages. It is decoded
    as pip decodes it. Raises ReqsInputError when it cannot be read.
    """
    if text is None:
        try:
            text = decode_text(read_bytes(path, display))
        except TextDecodeError as exc:
            raise ReqsInputError(display, None, exc.reason) from None
    if "via" not in text:  # not compiled output: no need to go through its lines
        return Lock(display, (), flat=True)
    packages: list[Locked] = []
    vias: list[list[str]] = []
    in_via = False
    continued = False
    for number, line in enumerate(io.StringIO(text), start=1):
        raw = line.rstrip("\r\n")
        stripped = raw.strip()
        code, _, comment = raw.partition(" #") if not stripped.startswith("#") else ("", "", raw)
        if stripped.startswith("#"):
            via = _VIA.search(stripped)
            more = _MORE.match(raw)
            if via is not None and packages:
                vias[-1] += _names(via.group(1))
                in_via = True
            elif in_via and more is not None and packages:
                vias[-1] += _names(more.group(1))
            else:
                in_via = False
            continue
        in_via = False
        if not stripped or continued or stripped.startswith("-"):
            continued = stripped.endswith("\\")
            continue
        continued = code.rstrip().endswith("\\")
        req = _requirement(code.rstrip().rstrip("\\"))
        if req is None:
            continue
        pinned = next((spec.version for spec in req.specifier if spec.operator == "=="), None)
        packages.append(Locked(canonicalize_name(req.name), req.name, pinned, number))
        vias.append([])
        inline = _VIA.search("#" + comment) if comment else None
        if inline is not None:
            vias[-1] += _names(inline.group(1))
            in_via = True
    if not any(vias):
        return Lock(display, (), flat=True)
    return Lock(
        display,
        tuple(
            package._replace(
                via=tuple(name for name in via if not _is_direct(name)),
                direct=any(_is_direct(name) for name in via),
            )
            for package, via in zip(packages, vias)
        ),
        flat=True,
    )


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _is_direct(name: str) -> bool:
    return name.startswith("-") or "(" in name


def _requirement(text: str) -> PackagingRequirement | None:
    try:
        return PackagingRequirement(text.strip())
    except InvalidRequirement:
        return None
