"""The flake8-reqs command: check with chains, REQ201, fix, system, exit statuses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import locks
from tests.conftest import UNKNOWN_TARGET, Result, make_project

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "deploy-story"


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """Run ``flake8-reqs`` in-process in ``project`` with a private cache folder."""
    from flake8_reqs.commands.cli import main

    def run(project: Path, *args: str) -> Result:
        monkeypatch.chdir(project)
        capsys.readouterr()
        command, *rest = args
        code = main([command, f"--cache-dir={tmp_path / '_cache'}", "-j1", *rest])
        captured = capsys.readouterr()
        return Result(code, captured.out.splitlines(), captured.err.splitlines())

    return run


@pytest.fixture
def deploy_story(tmp_path):
    project = tmp_path / "deploy-story"
    shutil.copytree(EXAMPLE, project)
    return project


MAGIC_CHAIN = (
    "  via main.py:1 -> src/api/main.py:3 -> src/api/websocket.py:3 -> src/utils/__init__.py:1"
    " -> src/utils/validators.py:11: 'magic'"
)
PIL_CHAIN = (
    "  via main.py:1 -> src/api/main.py:3 -> src/api/websocket.py:3 -> src/utils/__init__.py:1"
    " -> src/utils/validators.py:7 -> src/utils/images.py:5: 'PIL'"
)


def test_check_prints_the_chain_from_the_entry_point(cli, deploy_story):
    result = cli(deploy_story, "check", "--reqs-file=requirements-prod.txt", "--entry=main.py")
    assert result.out == [
        "src/utils/images.py:5:1: REQ001 'PIL' is imported but not declared as a runtime "
        "requirement (requirements-prod.txt); it is provided by 'pillow'",
        PIL_CHAIN,
        "src/utils/validators.py:11:1: REQ001 'magic' is imported but not declared as a runtime "
        "requirement (requirements-prod.txt); it is provided by 'python-magic'",
        MAGIC_CHAIN,
        "src/utils/validators.py:11:1: REQ101 'magic' (python-magic) needs the system library "
        "libmagic, which pip does not install: apt-get install libmagic1",
        MAGIC_CHAIN,
    ]
    assert result.err == ["flake8-reqs: target Python 3.12 (Dockerfile:8 FROM python:3.12-slim)"]
    assert result.exit_code == 1


def test_entry_as_module_and_attribute(cli, deploy_story):
    by_file = cli(deploy_story, "check", "--reqs-file=requirements-prod.txt", "--entry=main.py")
    by_module = cli(deploy_story, "check", "--reqs-file=requirements-prod.txt", "--entry=main:app")
    assert by_module.out == by_file.out


def test_chains_start_at_an_entry_point_outside_the_folder_checked(cli, deploy_story):
    # main.py sits beside src/: checking src/ alone still follows the imports from it.
    whole = cli(deploy_story, "check", "--reqs-file=requirements-prod.txt", "--entry=main:app")
    part = cli(
        deploy_story, "check", "src", "--reqs-file=requirements-prod.txt", "--entry=main:app"
    )
    assert MAGIC_CHAIN in part.out
    assert [line for line in part.out if "REQ201" not in line] == [
        line for line in whole.out if "REQ201" not in line
    ]


def test_unreachable_findings_are_marked_and_do_not_fail_unless_strict(cli, tmp_path):
    project = make_project(
        tmp_path / "p",
        {
            "requirements.txt": "flask\n",
            "main.py": "import flask\n",
            "scripts/one_off.py": "import magic\n",
        },
    )
    args = ("check", "--select=REQ0", "--entry=main.py")
    result = cli(project, *args)
    assert result.out == [
        "scripts/one_off.py:1:1: REQ001 'magic' is imported but not declared as a runtime "
        "requirement (requirements.txt); it is provided by 'python-magic'",
        "  unreachable from the entry points",
    ]
    assert result.exit_code == 0
    assert cli(project, *args, "--strict").exit_code == 1


def test_clean_project_exits_zero(cli, tmp_path):
    project = make_project(
        tmp_path / "p", {"requirements.txt": "flask\n", "app.py": "import flask\n"}
    )
    assert cli(project, "check").exit_code == 0


@pytest.mark.parametrize(
    ("args", "err"),
    [
        pytest.param(
            ("--reqs-file=missing.txt",), ["flake8-reqs: missing.txt: no such file"], id="file"
        ),
        pytest.param(
            ("--entry=nope.py",),
            [
                UNKNOWN_TARGET,
                "flake8-reqs: nope.py: entry point not found; give a file (main.py) or a module "
                "(main:app, package.module)",
            ],
            id="entry point",
        ),
    ],
)
def test_configuration_errors_exit_two(cli, tmp_path, args, err):
    project = make_project(tmp_path / "p", {"requirements.txt": "flask\n", "app.py": ""})
    result = cli(project, "check", *args)
    assert (result.exit_code, result.err) == (2, err)


REQ201 = [
    pytest.param(
        "requests\n",
        (),
        ["requirements.txt:2:1: REQ201 'requests' is declared but never imported"],
        id="unused",
    ),
    pytest.param("gunicorn\n", (), [], id="a server is used without an import"),
    pytest.param("psycopg2-binary\n", (), [], id="a driver named in a URL"),
    pytest.param("requests\n", ("--reqs-unused-ok=Requests",), [], id="--reqs-unused-ok"),
    pytest.param("types-requests\n", (), [], id="stubs"),
]


@pytest.mark.parametrize(("extra", "args", "expected"), REQ201)
def test_req201(cli, tmp_path, extra, args, expected):
    project = make_project(
        tmp_path / "p", {"requirements.txt": "flask\n" + extra, "app.py": "import flask\n"}
    )
    result = cli(project, "check", *args)
    assert (result.out, result.exit_code) == (expected, 1 if expected else 0)


def test_req201_counts_every_name_a_from_import_takes(cli, tmp_path):
    files = {
        "requirements.txt": "google-cloud-storage\ngoogle-cloud-bigquery\nrequests\n",
        "app.py": "from google.cloud import storage, bigquery\n",
    }
    result = cli(make_project(tmp_path / "p", files), "check")
    assert result.out == ["requirements.txt:3:1: REQ201 'requests' is declared but never imported"]


def test_req201_is_not_a_plugin_code(tmp_path, run_flake8):
    project = make_project(tmp_path, {"requirements.txt": "requests\n", "app.py": "import os\n"})
    assert run_flake8(project, "--select=REQ").out == []


def test_json_output(cli, deploy_story):
    result = cli(
        deploy_story,
        "check",
        "--reqs-file=requirements-prod.txt",
        "--entry=main.py",
        "--format=json",
        "--select=REQ001",
    )
    document = json.loads("\n".join(result.out))
    magic = [f for f in document["findings"] if f["module"] == "magic"]
    assert magic == [
        {
            "path": "src/utils/validators.py",
            "line": 11,
            "column": 1,
            "code": "REQ001",
            "slug": "undeclared-import",
            "message": "'magic' is imported but not declared as a runtime requirement "
            "(requirements-prod.txt); it is provided by 'python-magic'",
            "module": "magic",
            "distribution": "python-magic",
            "chain": [
                "main.py:1",
                "src/api/main.py:3",
                "src/api/websocket.py:3",
                "src/utils/__init__.py:1",
                "src/utils/validators.py:11",
            ],
            "reachable": True,
        }
    ]


def test_fix_adds_the_missing_requirements_and_is_idempotent(cli, deploy_story):
    first = cli(deploy_story, "fix", "--reqs-file=requirements-prod.txt")
    # What fix cannot do stays, said with why: the exit status keeps the build red.
    assert (first.exit_code, first.err) == (1, [NOT_FIXED_LIBMAGIC])
    assert "+python-magic" in first.out
    assert "+pillow" in [line.split("=")[0].lower() for line in first.out]
    text = (deploy_story / "requirements-prod.txt").read_text(encoding="utf-8")
    assert text.startswith("# Runtime requirements: what the production image installs.\n")
    second = cli(deploy_story, "fix", "--reqs-file=requirements-prod.txt")
    assert second.out == ["requirements-prod.txt: nothing to change"]
    check = cli(deploy_story, "check", "--reqs-file=requirements-prod.txt", "--select=REQ0")
    assert (check.exit_code, check.out) == (0, [])


NOT_FIXED_LIBMAGIC = (
    "flake8-reqs: src/utils/validators.py:11:1: REQ101 not fixed: needs an OS package in the "
    "image, and fix edits requirement files only: flake8-reqs system prints the install line "
    "for the Dockerfile"
)


def test_fix_dry_run_writes_nothing(cli, deploy_story):
    before = (deploy_story / "requirements-prod.txt").read_text(encoding="utf-8")
    result = cli(deploy_story, "fix", "--dry-run", "--reqs-file=requirements-prod.txt")
    assert result.exit_code == 1
    assert result.out[0] == "--- a/requirements-prod.txt"
    assert (deploy_story / "requirements-prod.txt").read_text(encoding="utf-8") == before


def test_fix_remove_unused(cli, tmp_path):
    project = make_project(
        tmp_path / "p",
        {"requirements.txt": "flask\nrequests  # old\n", "app.py": "import flask\n"},
    )
    cli(project, "fix", "--remove-unused")
    assert (project / "requirements.txt").read_text(encoding="utf-8") == "flask\n"


def test_fix_does_not_declare_again_what_a_marker_excludes(cli, tmp_path):
    # The REQ001 asks for the marker to change; a second unconditional line would install
    # tensorflow where the marker says it must not be.
    requirements = "flask\ntensorflow; python_version < '3.11'\n"
    files = {"requirements.txt": requirements, "app.py": "import flask\nimport tensorflow\n"}
    project = make_project(tmp_path / "p", files)
    result = cli(project, "fix", "--reqs-python-version=3.12")
    assert (result.exit_code, result.out) == (1, ["requirements.txt: nothing to change"])
    assert result.err == [
        "flake8-reqs: app.py:2:1: REQ001 not fixed: 'tensorflow' is declared with an "
        "environment marker that is false on the target: change the marker by hand"
    ]
    assert (project / "requirements.txt").read_text(encoding="utf-8") == requirements


def test_system_prints_the_install_line(cli, deploy_story):
    result = cli(deploy_story, "system", "--reqs-file=requirements-prod.txt")
    assert result.exit_code == 1  # something is missing (0 before)
    assert result.out == [
        "OS packages for the imports and runtime requirements of this project (debian):",
        "  libmagic1                    missing   python-magic needs libmagic "
        "(src/utils/validators.py:11)",
        "",
        "Run time (missing from the system files):",
        "RUN apt-get update && apt-get install -y --no-install-recommends libmagic1 \\",
        " && rm -rf /var/lib/apt/lists/*",
    ]


def test_command_line_entry_point(tmp_path):
    project = make_project(tmp_path, {"requirements.txt": "flask\n", "app.py": "import magic\n"})
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_reqs", "check", "--no-cache", "--select=REQ001"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert completed.returncode == 1
    assert completed.stdout.startswith("app.py:1:1: REQ001 'magic'")


def test_req201_passes_over_plugins_found_through_entry_points(cli, tmp_path, fake_distribution):
    fake_distribution(
        "pytest-acme", files=["pytest_acme.py"], entry_points="[pytest11]\nacme = pytest_acme\n"
    )
    project = make_project(
        tmp_path / "p", {"requirements.txt": "flask\npytest-acme\n", "app.py": "import flask\n"}
    )
    assert cli(project, "check").out == []


def test_progress_is_drawn_only_after_a_while(monkeypatch, capsys):
    from flake8_reqs.commands import project as project_module

    clock = iter([0.0, 0.1, 5.0, 5.0])
    monkeypatch.setattr(project_module.time, "monotonic", lambda: next(clock))
    progress = project_module._Progress(3)
    progress(1, 3)
    progress(2, 3)
    progress.close()
    assert capsys.readouterr().err == "\rflake8-reqs: parsed 2/3 files\r\x1b[K"


def test_options_written_with_a_space_and_paths_in_any_order(cli, deploy_story):
    # `--reqs-file requirements-prod.txt` with a space: the value is not a path to check.
    spaced = cli(
        deploy_story,
        "check",
        "--reqs-file",
        "requirements-prod.txt",
        "src",
        "--reqs-python-version",
        "3.12",
    )
    joined = cli(
        deploy_story,
        "check",
        "src",
        "--reqs-file=requirements-prod.txt",
        "--reqs-python-version=3.12",
    )
    assert spaced == joined
    assert spaced.exit_code == 1
    assert any(
        line.startswith("src/utils/validators.py:11:1: REQ001 'magic'") for line in spaced.out
    )


MONOREPO = {
    "setup.cfg": "[flake8]\n",
    "services/api/requirements.txt": "flask\nrequests\n",
    "services/api/Dockerfile": "FROM python:3.12-slim\n",
    "services/api/app/__init__.py": "",
    "services/api/app/main.py": "import flask\nimport magic\nfrom app import models\n",
    "services/api/app/models.py": "",
    "services/worker/pyproject.toml": (
        "[project]\nname = 'worker'\nversion = '1'\ndependencies = [\n    'celery',\n]\n"
    ),
    "services/worker/Dockerfile": "FROM python:3.12-alpine\n",
    "services/worker/src/worker/__init__.py": "",
    "services/worker/src/worker/run.py": "import celery\nimport cairo\n",
}


def test_check_groups_the_findings_by_project(cli, tmp_path):
    project = make_project(tmp_path / "repo", MONOREPO)
    result = cli(project, "check", "--select=REQ001,REQ201")
    assert result.out == [
        "project services/api: 2 findings",
        "services/api/app/main.py:2:1: REQ001 'magic' is imported but not declared as a runtime "
        "requirement (services/api/requirements.txt); it is provided by 'python-magic'",
        "services/api/requirements.txt:2:1: REQ201 'requests' is declared but never imported",
        "project services/worker: 1 finding",
        "services/worker/src/worker/run.py:2:1: REQ001 'cairo' is imported but not declared "
        "as a runtime requirement (services/worker/pyproject.toml); it is provided by 'pycairo'",
    ]
    assert result.err == [
        "flake8-reqs: project services/api: target Python 3.12 (services/api/Dockerfile:1 "
        "FROM python:3.12-slim)",
        "flake8-reqs: project services/worker: target Python 3.12 on linux with musl "
        "(services/worker/Dockerfile:1 FROM python:3.12-alpine)",
    ]
    assert result.exit_code == 1


def test_fix_edits_each_project_s_own_file(cli, tmp_path):
    project = make_project(tmp_path / "repo", MONOREPO)
    first = cli(project, "fix")
    assert first.exit_code == 1  # the OS libraries and the unused requirement stay
    assert [line for line in first.out if line.startswith(("---", "+"))] == [
        "--- a/services/api/requirements.txt",
        "+++ b/services/api/requirements.txt",
        "+python-magic",
        "--- a/services/worker/pyproject.toml",
        "+++ b/services/worker/pyproject.toml",
        "+    'pycairo',",
    ]
    assert (project / "services/api/requirements.txt").read_text(encoding="utf-8") == (
        "flask\npython-magic\nrequests\n"
    )
    second = cli(project, "fix")
    assert second.out == [
        "services/api/requirements.txt: nothing to change",
        "services/worker/pyproject.toml: nothing to change",
    ]


def test_fix_edits_the_projects_it_can_and_names_the_one_it_cannot(cli, tmp_path):
    files = {
        **MONOREPO,
        "services/worker/pyproject.toml": "[build-system]\nrequires = ['setuptools']\n",
        "services/worker/setup.cfg": "[options]\ninstall_requires =\n    celery\n",
    }
    project = make_project(tmp_path / "repo", files)
    result = cli(project, "fix")
    assert result.exit_code == 2
    assert (
        "flake8-reqs: services/worker/setup.cfg: fix edits a pip requirements file or a "
        "pyproject.toml only"
    ) in result.err
    assert "+python-magic" in result.out


def test_system_lists_each_project_s_needs_against_its_own_system_files(cli, tmp_path):
    project = make_project(tmp_path / "repo", MONOREPO)
    result = cli(project, "system")
    assert result.exit_code == 1  # a need is not met
    assert result.out == [
        "OS packages for the imports and runtime requirements of services/api (debian):",
        "  libmagic1                    missing   python-magic needs libmagic "
        "(services/api/app/main.py:2)",
        "",
        "Run time (missing from the system files):",
        "RUN apt-get update && apt-get install -y --no-install-recommends libmagic1 \\",
        " && rm -rf /var/lib/apt/lists/*",
        "",
        "OS packages for the imports and runtime requirements of services/worker (alpine):",
        "  cairo                        missing   pycairo needs a C compiler and the cairo "
        "headers (services/worker/src/worker/run.py:2)",
        "",
        "To build from source (in the build stage):",
        "RUN apk add --no-cache build-base pkgconf cairo-dev",
        "",
        "Run time (missing from the system files):",
        "RUN apk add --no-cache cairo",
    ]


def test_check_entry_follows_the_folders_a_module_puts_on_sys_path(cli, tmp_path):
    project = make_project(
        tmp_path / "p",
        {
            "requirements.txt": "flask\n",
            "main.py": (
                "import os, sys\n"
                "sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'vendor'))\n"
                "import vendored\n"
            ),
            "vendor/vendored.py": "import magic\n",
        },
    )
    result = cli(project, "check", "--select=REQ001", "--entry=main.py")
    assert result.out == [
        "vendor/vendored.py:1:1: REQ001 'magic' is imported but not declared as a runtime "
        "requirement (requirements.txt); it is provided by 'python-magic'",
        "  via main.py:3 -> vendor/vendored.py:1: 'magic'",
    ]


def test_a_module_added_to_an_import_root_makes_the_stored_answer_stale(cli, tmp_path):
    from tests.conftest import age

    project = make_project(
        tmp_path / "p",
        {
            "requirements.txt": "flask\n",
            "tools/train.py": "",
            "tools/datasets/__init__.py": "",
            "tools/datasets/coco.py": "import util\n",
        },
    )
    age(project)
    args = ("check", "tools/datasets", "--select=REQ001")
    first = cli(project, *args)
    assert first.out == [
        "tools/datasets/coco.py:1:1: REQ001 'util' is imported but not declared as a runtime "
        "requirement (requirements.txt)"
    ]
    (project / "tools" / "util.py").write_text("", encoding="utf-8")
    assert cli(project, *args).out == []


FIX_LOCKED = [
    pytest.param(
        {
            "requirements.in": "requests==2.32.3\nsympy==1.13.3\n",
            "requirements.txt": locks.COMPILED,
        },
        "requirements.in",
        "mpmath==1.3.0\nrequests==2.32.3\nsympy==1.13.3\n",
        id="pip-tools: into requirements.in, at the version requirements.txt pins",
    ),
    pytest.param(
        {
            "pyproject.toml": locks.UV_PYPROJECT.replace(
                '["requests[socks]", "sympy"]', '["requests[socks]==2.32.3", "sympy==1.13.3"]'
            ),
            "uv.lock": locks.UV_LOCK,
        },
        "pyproject.toml",
        locks.UV_PYPROJECT.replace(
            '["requests[socks]", "sympy"]',
            '["mpmath==1.3.0", "requests[socks]==2.32.3", "sympy==1.13.3"]',
        ),
        id="uv: into [project].dependencies, at the version uv.lock pins",
    ),
]


@pytest.mark.parametrize(("files", "edited", "expected"), FIX_LOCKED)
def test_fix_declares_a_transitive_import_at_its_locked_version(
    cli, tmp_path, files, edited, expected
):
    project = make_project(tmp_path / "p", {**files, "app.py": "import mpmath\nimport sympy\n"})
    assert cli(project, "check", "--select=REQ005").exit_code == 1
    fixed = cli(project, "fix")
    assert (project / edited).read_text(encoding="utf-8") == expected
    # requests is declared and not imported: fix says so and fails, as check would.
    assert (fixed.exit_code, [line.split(" REQ201 ")[1] for line in fixed.err]) == (
        1,
        ["not fixed: run fix --remove-unused to remove it"],
    )
    after = cli(project, "check", "--select=REQ0")
    assert (after.out, after.exit_code) == ([], 0)
