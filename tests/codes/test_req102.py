"""REQ102 system-program-import: the distribution runs a program that pip does not install."""

from __future__ import annotations

import pytest

from tests.conftest import make_project

TESSERACT = "./app.py:1:1: REQ102 'pytesseract' (pytesseract) runs the program 'tesseract': "


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        pytest.param(
            {},
            [
                TESSERACT + "apt-get install tesseract-ocr | apk add tesseract-ocr | "
                "dnf install tesseract"
            ],
            id="no system file",
        ),
        pytest.param(
            {"Dockerfile": "FROM python:3.12-alpine\nRUN apk add --no-cache curl\n"},
            [TESSERACT + "apk add tesseract-ocr"],
            id="alpine image",
        ),
        pytest.param(
            {"Dockerfile": "FROM python:3.12-slim\nRUN apt-get install -y tesseract-ocr\n"},
            [],
            id="installed",
        ),
        pytest.param(
            {
                "Dockerfile": "FROM python:3.12-slim\n"
                "RUN <<EOF\napt-get install -y tesseract-ocr\nEOF\n"
            },
            [],
            id="installed in a heredoc RUN",
        ),
    ],
)
def test_req102(tmp_path, run_flake8, system, expected):
    base = {"requirements.txt": "pytesseract\n", "app.py": "import pytesseract\n"}
    result = run_flake8(make_project(tmp_path, {**base, **system}), "--select=REQ1")
    assert (result.out, result.exit_code) == (expected, 1 if expected else 0)
