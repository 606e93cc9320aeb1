"""Workspaces through flake8: a member provides the modules it packages, and importing a
member that is not declared is REQ001 with a hint that names it and its folder."""

from __future__ import annotations

import pytest

from tests.conftest import make_project

UNDECLARED = "REQ001 '{}' is imported but not declared as a runtime requirement ({})"
# A uv workspace: two libraries (one whose modules are not named after it) and a service.
UV_WORKSPACE = {
    "pyproject.toml": (
        "[project]\nname = 'monorepo'\nversion = '0'\n"
        "[tool.uv.workspace]\nmembers = ['packages/*', 'services/*']\n"
    ),
    "packages/utils/pyproject.toml": "[project]\nname = 'acme-utils'\nversion = '1'\n",
    "packages/utils/src/acme_utils/__init__.py": "",
    "packages/models/pyproject.toml": (
        "[project]\nname = 'acme-models'\nversion = '1'\n"
        "[tool.hatch.build.targets.wheel]\npackages = ['acme']\n"
    ),
    "packages/models/acme/models/__init__.py": "",
    "services/api/pyproject.toml": (
        "[project]\nname = 'api'\nversion = '1'\ndependencies = ['flask', 'acme-models']\n"
        "[tool.uv.sources]\nacme-models = { workspace = true }\n"
    ),
    "services/api/api/__init__.py": "",
}
# Libraries beside a service that installs them from their folders.
SHARED = {
    "libs/shared/pyproject.toml": "[project]\nname = 'shared-lib'\nversion = '1'\n",
    "libs/shared/src/corp_shared/__init__.py": "",
    "services/web/app.py": "import corp_shared\n",
}


def poetry(dependency: str) -> str:
    return f"[tool.poetry]\nname = 'web'\n[tool.poetry.dependencies]\npython = '^3.9'\n{dependency}"


SILENT = [
    pytest.param(
        {
            **UV_WORKSPACE,
            "services/api/api/main.py": "import flask\nfrom acme.models import User\n",
        },
        id="uv: a member provides what it packages, not a name guessed from its own",
    ),
    pytest.param(
        {
            **SHARED,
            "services/web/pyproject.toml": poetry(
                "shared-lib = { path = '../../libs/shared', develop = true }\n"
            ),
        },
        id="poetry path dependency",
    ),
    pytest.param(
        {**SHARED, "services/web/requirements.txt": "-e ../../libs/shared\n"},
        id="pip editable path",
    ),
    pytest.param(
        {
            **SHARED,
            "services/web/pyproject.toml": "[project]\nname = 'web'\nversion = '1'\n"
            "dependencies = ['shared-lib @ file:///${PROJECT_ROOT}/../../libs/shared']\n",
        },
        id="PDM local path",
    ),
    pytest.param(
        {
            **SHARED,
            "services/web/pyproject.toml": "[project]\nname = 'web'\nversion = '1'\n"
            "dependencies = ['shared-lib @ {root:parent:parent:uri}/libs/shared']\n",
        },
        id="Hatch local path",
    ),
    pytest.param(
        {
            **SHARED,
            "services/web/pyproject.toml": "[project]\nname = 'web'\nversion = '1'\n"
            "dependencies = ['shared-lib']\n"
            "[tool.uv.sources]\nshared-lib = { path = '../../libs/shared' }\n",
        },
        id="uv path source",
    ),
]


@pytest.mark.parametrize("files", SILENT)
def test_workspace_silent(tmp_path, run_flake8, files):
    project = make_project(tmp_path, files)
    result = run_flake8(project, "--select=REQ0", "services")
    assert (result.exit_code, result.out, result.err) == (0, [], [])


API = "services/api/pyproject.toml"
FIRING = [
    pytest.param(
        {**UV_WORKSPACE, "services/api/api/main.py": "import acme_utils\n"},
        "services/api/api/main.py:1:1: "
        + UNDECLARED.format("acme_utils", API)
        + "; it is the workspace member 'acme-utils' (packages/utils)",
        id="uv: an undeclared member, named with its folder",
    ),
    pytest.param(
        {
            **UV_WORKSPACE,
            API: "[project]\nname = 'api'\nversion = '1'\ndependencies = ['flask']\n",
            "services/api/api/main.py": "from acme.models import User\n",
        },
        "services/api/api/main.py:1:1: "
        + UNDECLARED.format("acme.models", API)
        + "; it is the workspace member 'acme-models' (packages/models)",
        id="uv: an undeclared member whose modules are not named after it",
    ),
    pytest.param(
        {**UV_WORKSPACE, "services/api/api/main.py": "import acme_models\n"},
        "services/api/api/main.py:1:1: " + UNDECLARED.format("acme_models", API),
        id="uv: a declared member does not provide a name it does not package",
    ),
    pytest.param(
        {
            **SHARED,
            "requirements.txt": "-e ./libs/shared\n",
            "services/web/requirements.txt": "flask\n",
        },
        "services/web/app.py:1:1: "
        + UNDECLARED.format("corp_shared", "services/web/requirements.txt")
        + "; it is the workspace member 'shared-lib' (libs/shared)",
        id="pip: a library the repository's root installs with -e, not declared here",
    ),
    pytest.param(
        {
            **SHARED,
            "services/web/pyproject.toml": poetry(
                "flask = '*'\n[tool.poetry.group.dev.dependencies]\n"
                "shared-lib = { path = '../../libs/shared', develop = true }\n"
            ),
        },
        "services/web/app.py:1:1: REQ002 'corp_shared' is provided by 'shared-lib', declared "
        "only in services/web/pyproject.toml [tool.poetry.group.dev], not as a runtime "
        "requirement",
        id="poetry: a path dependency of the dev group only",
    ),
    pytest.param(
        {
            **UV_WORKSPACE,
            "tools/pyproject.toml": "[project]\nname = 'tools'\nversion = '1'\n"
            "dependencies = ['click']\n",
            "tools/run.py": "import acme_utils\n",
        },
        "tools/run.py:1:1: " + UNDECLARED.format("acme_utils", "tools/pyproject.toml"),
        id="uv: a project outside the workspace's members knows none of them",
    ),
]


@pytest.mark.parametrize(("files", "expected"), FIRING)
def test_workspace_firing(tmp_path, run_flake8, files, expected):
    project = make_project(tmp_path, files)
    where = "tools" if "tools/run.py" in files else "services"
    result = run_flake8(project, "--select=REQ0", where)
    assert (result.exit_code, result.out, result.err) == (1, [expected], [])


def test_a_package_added_to_a_member_is_seen_by_the_next_run(tmp_path):
    from tests.project.test_state_cache import run

    files = {**UV_WORKSPACE, "services/api/api/main.py": "import acme_extra\n"}
    files[API] = (
        files[API].replace("'acme-models'", "'acme-utils'").replace("acme-models =", "acme-utils =")
    )
    project = make_project(tmp_path / "repo", files)
    cache = tmp_path / "cache"
    message = "services/api/api/main.py:1:1: " + UNDECLARED.format("acme_extra", API)
    assert run(project, cache, "services")[0] == [message]
    make_project(project, {"packages/utils/src/acme_extra/__init__.py": ""})
    assert run(project, cache, "services") == ([], [])
