"""The bundled example, examples/deploy-story: the output README.md shows, and its fix."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import run_cli

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "deploy-story"
README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
EXPECTED = [
    "./src/utils/images.py:5:1: REQ001 'PIL' is imported but not declared as a runtime "
    "requirement (requirements-prod.txt); it is provided by 'pillow'",
    "./src/utils/validators.py:11:1: REQ001 'magic' is imported but not declared as a runtime "
    "requirement (requirements-prod.txt); it is provided by 'python-magic'",
    "./src/utils/validators.py:11:1: REQ101 'magic' (python-magic) needs the system library "
    "libmagic, which pip does not install: apt-get install libmagic1",
]


def test_example_reports_the_deploy_crash():
    result = run_cli(EXAMPLE, "--reqs-file", "requirements-prod.txt", ".")
    assert (result.out, result.exit_code, result.err) == (EXPECTED, 1, [])


def test_readme_shows_the_real_output():
    for line in EXPECTED:
        assert line in README


def test_the_fix_readme_shows_makes_it_clean(tmp_path):
    project = tmp_path / "deploy-story"
    shutil.copytree(EXAMPLE, project)
    with (project / "requirements-prod.txt").open("a", encoding="utf-8") as requirements:
        requirements.write("Pillow==11.0.0\npython-magic==0.4.27\n")
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(
        dockerfile.read_text(encoding="utf-8").replace(
            "FROM python:3.12-slim\nWORKDIR /app\n",
            "FROM python:3.12-slim\nWORKDIR /app\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends libmagic1 \\\n"
            " && rm -rf /var/lib/apt/lists/*\n",
        ),
        encoding="utf-8",
    )
    result = run_cli(project, "--reqs-file", "requirements-prod.txt", ".")
    assert (result.out, result.exit_code, result.err) == ([], 0, [])
