"""What ``flake8-reqs fix`` leaves to a person: why each finding it did not fix stays."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from packaging.utils import canonicalize_name

from flake8_reqs.commands.check.report import Finding

_SYSTEM = (
    "needs an OS package in the image, and fix edits requirement files only: "
    "flake8-reqs system prints the install line for the Dockerfile"
)
_WHY = {
    "REQ003": "an optional import (inside try/except ImportError): declare it by hand if "
    "production needs the feature",
    "REQ004": "the target Python has no such module: change the import or the target Python",
    "REQ101": _SYSTEM,
    "REQ102": _SYSTEM,
    "REQ103": _SYSTEM,
    "REQ104": _SYSTEM,
}


def why_not_fixed(
    finding: Finding,
    *,
    target: str,
    move_dev: bool,
    unmoved: Mapping[str, str],
    unhashed: Collection[Finding] = (),
) -> str:
    """Why fix left ``finding`` as it was, in one sentence that says what to do instead.

    ``target`` is the runtime source fix edits, as messages name it; ``unmoved`` says why
    --move-dev left a distribution where it was, by its normalized name; ``unhashed`` are
    the findings fix would have declared, had pip not installed the target checking hashes.
    """
    code = finding.code
    if finding in unhashed:
        return (
            f"pip installs {target} checking hashes, and fix cannot know the hashes of "
            f"'{finding.distribution}' (it never uses the network): add it with its hashes "
            "(pip-compile --generate-hashes, or pip hash)"
        )
    if code == "REQ002":
        if not move_dev:
            return f"declared only in a dev set: run fix --move-dev to move it to {target}"
        name = canonicalize_name(finding.distribution or "")
        return unmoved.get(name, "fix could not move it (said above): move it by hand")
    if code == "REQ201":
        return "run fix --remove-unused to remove it"
    if code in _WHY:
        return _WHY[code]
    if code in ("REQ001", "REQ005", "REQ006") and finding.distribution is None:
        what = f"'{finding.module}'" if finding.module else "it"
        return f"no known distribution provides {what}: declare the right one by hand"
    if code == "REQ001":
        return (
            f"'{finding.distribution}' is declared with an environment marker that is false "
            "on the target: change the marker by hand"
        )
    return "fix does not change this: see the code's page in docs/codes"
