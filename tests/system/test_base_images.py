"""find_base_image and data/base_images.toml; native.toml's [stdlib.*] needs judged by them."""

from __future__ import annotations

import pytest

from flake8_reqs.data_files import load_data
from flake8_reqs.declared.stdlib import known_versions, stdlib_modules
from flake8_reqs.system.base_images import find_base_image
from flake8_reqs.system.files import SystemPackages, is_provided
from flake8_reqs.system.native import find_stdlib_needs

IMAGES = [
    pytest.param("python:3.12-slim", "python-slim", id="slim"),
    pytest.param("python:3.13-slim-trixie", "python-slim", id="slim with a suite"),
    pytest.param("python:slim", "python-slim", id="slim without a version"),
    pytest.param("docker.io/library/python:3.12-slim", "python-slim", id="docker.io/library/"),
    pytest.param("public.ecr.aws/docker/library/python:3.11-slim", "python-slim", id="a mirror"),
    pytest.param("python:3.12-slim@sha256:0123abcd", "python-slim", id="with a digest"),
    pytest.param("PYTHON:3.12-SLIM", "python-slim", id="any case"),
    pytest.param("python:3.12-alpine3.20", "python-alpine", id="alpine"),
    pytest.param("python:3.12", "python", id="the full image"),
    pytest.param("python", "python", id="no tag: latest"),
    pytest.param("docker.io/python:3.12-bookworm", "python", id="docker.io/ without library/"),
    pytest.param("python:3.12-windowsservercore-ltsc2022", "python-windows", id="windows"),
]

NOT_KNOWN = [
    pytest.param("myorg/python:3.12-slim", id="an organisation's image of the same name"),
    pytest.param("ghcr.io/acme/python:3.12", id="another registry"),
    pytest.param("debian:bookworm-slim", id="an image not listed"),
    pytest.param("python:${VERSION}-slim", id="a variable without a value"),
    pytest.param("", id="nothing"),
]


@pytest.mark.parametrize(("reference", "name"), IMAGES)
def test_find_base_image(reference, name):
    image = find_base_image(reference)
    assert image is not None
    assert image.name == name


@pytest.mark.parametrize("reference", NOT_KNOWN)
def test_images_not_known(reference):
    assert find_base_image(reference) is None


IMAGE_DATA = load_data("base_images.toml")["image"]


@pytest.mark.parametrize("name", IMAGE_DATA)
def test_every_image_says_where_its_contents_come_from(name):
    entry = IMAGE_DATA[name]
    assert set(entry) <= {"repository", "tags", "python", "apt", "apk", "source", "note"}
    assert "docker-library/" in entry["source"], name
    assert entry["tags"]
    assert all(isinstance(tag, str) for tag in entry["tags"])
    for manager in ("apt", "apk"):
        names = entry.get(manager, [])
        assert len(set(names)) == len(names), f"{name}: a package is listed twice"


STDLIB = load_data("native.toml")["stdlib"]


@pytest.mark.parametrize("name", STDLIB)
def test_every_stdlib_need_is_a_standard_library_module_and_cites_the_images(name):
    entry = STDLIB[name]
    modules = frozenset().union(*map(stdlib_modules, known_versions()))
    assert set(entry["imports"]) <= modules
    assert "docker-library/python" in entry["source"]
    assert entry["kind"] == "library"


# What the official images do with tkinter (docker-library/python issue 484).
TKINTER = [
    pytest.param("python:3.12-slim", (), False, id="slim leaves Tk out"),
    pytest.param("python:3.12-alpine", (), False, id="alpine leaves Tk out"),
    pytest.param("python:3.12", (), True, id="the full image keeps tk-dev"),
    pytest.param("python:3.12-slim", ("libtk8.6",), True, id="slim with libtk8.6"),
    pytest.param("python:3.12-slim", ("tk",), True, id="slim with tk"),
    pytest.param("python:3.12-slim", ("python3-tk",), True, id="slim with python3-tk"),
    pytest.param("python:3.12-alpine", ("tk",), True, id="alpine with tk"),
]


@pytest.mark.parametrize(("reference", "installed", "met"), TKINTER)
def test_tkinter_on_the_official_images(reference, installed, met):
    image = find_base_image(reference)
    assert image is not None
    assert image.python
    family = "alpine" if "alpine" in reference else "debian"
    system = SystemPackages(
        family,
        frozenset(installed),
        base=reference,
        base_packages=image.packages.get(family, frozenset()),
    )
    assert is_provided(find_stdlib_needs()["tkinter"], system) is met


def test_stdlib_needs_cover_each_import_name():
    needs = find_stdlib_needs()
    assert needs["turtle"] is needs["tkinter"]
    assert {"sqlite3", "ssl", "ctypes"}.isdisjoint(needs)
