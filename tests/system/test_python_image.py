"""Which Python a Dockerfile's shipped stage runs: its base image's tag, or its OS's python3."""

from __future__ import annotations

import pytest

from flake8_reqs.system.dockerfile import read_dockerfile
from flake8_reqs.system.python_image import ImagePython, shipped_python, tagged_python

TAGGED = [
    pytest.param("python:3.12-slim", "3.12", id="python slim"),
    pytest.param("python:3.11.9-bookworm", "3.11", id="patch version and codename"),
    pytest.param("python:3.12-alpine", "3.12", id="alpine"),
    pytest.param("docker.io/library/python:3.10@sha256:0123abcd", "3.10", id="full name, digest"),
    pytest.param("ghcr.io/astral-sh/uv:python3.12-bookworm-slim", "3.12", id="uv's image"),
    pytest.param("mcr.microsoft.com/devcontainers/python:3.11", "3.11", id="devcontainer"),
    pytest.param("mcr.microsoft.com/devcontainers/python:1-3.11-bookworm", "3.11", id="devc 1-"),
    pytest.param("pypy:3.10-slim", "3.10", id="pypy"),
    pytest.param("registry.access.redhat.com/ubi9/python-311", "3.11", id="ubi python-311"),
    pytest.param("public.ecr.aws/lambda/python:3.13", "3.13", id="AWS Lambda"),
    pytest.param("python:3.13.0rc2-slim", "3.13", id="a release candidate"),
]
NOT_TAGGED = [
    pytest.param("python:3-slim", id="python:3 names no minor version"),
    pytest.param("python:latest", id="latest"),
    pytest.param("python", id="no tag"),
    pytest.param("node:20-bookworm", id="not Python"),
    pytest.param("nvidia/cuda:12.4.1-runtime-ubuntu22.04", id="a version that is not Python's"),
    pytest.param("gcr.io/distroless/python3-debian12", id="python3 without its minor version"),
    pytest.param("happy312:1.0", id="py inside a word"),
]


@pytest.mark.parametrize(("reference", "version"), TAGGED)
def test_tagged_python(reference, version):
    assert tagged_python(reference) == version


@pytest.mark.parametrize("reference", NOT_TAGGED)
def test_tagged_python_says_nothing_when_the_reference_does_not(reference):
    assert tagged_python(reference) is None


SHIPPED = [
    pytest.param(
        "FROM python:3.10-slim\nRUN pip install flask\n",
        ("3.10", "Dockerfile:1 FROM python:3.10-slim", "linux", None),
        id="the base image's tag",
    ),
    pytest.param(
        "ARG PYTHON_VERSION=3.11\nFROM python:${PYTHON_VERSION}-slim\n",
        (
            "3.11",
            "Dockerfile:2 FROM python:${PYTHON_VERSION}-slim = python:3.11-slim",
            "linux",
            None,
        ),
        id="an ARG default used in FROM",
    ),
    pytest.param(
        "ARG BASE=python:3.12-alpine\nFROM ${BASE} AS base\nRUN apk add libmagic\n"
        "FROM base\nCOPY . /app\n",
        ("3.12", "Dockerfile:2 FROM ${BASE} = python:3.12-alpine", "linux", "musl"),
        id="a stage built FROM another stage, Alpine: musl",
    ),
    pytest.param(
        "FROM python:3.12 AS build\nRUN pip wheel .\nFROM python:3.11-slim\n",
        ("3.11", "Dockerfile:3 FROM python:3.11-slim", "linux", None),
        id="the last stage is shipped, not the builder",
    ),
    pytest.param(
        "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y python3.11 python3-pip\n",
        ("3.11", "Dockerfile:2 installs python3.11", "linux", None),
        id="apt-get install python3.11",
    ),
    pytest.param(
        "FROM alpine:3.20\nRUN apk add --no-cache python3 py3-pip\n",
        ("3.12", "Dockerfile:2 installs python3 on alpine:3.20", "linux", "musl"),
        id="apk add python3 on a known Alpine release",
    ),
    pytest.param(
        "FROM debian:bookworm-slim\nRUN apt-get install -y --no-install-recommends python3\n",
        ("3.11", "Dockerfile:2 installs python3 on debian:bookworm", "linux", None),
        id="apt-get install python3 on Debian 12",
    ),
    pytest.param(
        "FROM node:20-bookworm-slim\nRUN apt-get install -y python3-venv\n",
        ("3.11", "Dockerfile:2 installs python3-venv on debian:bookworm", "linux", None),
        id="a codename in another image's tag",
    ),
    pytest.param(
        "FROM python:3.12 AS build\nFROM gcr.io/distroless/python3-debian12\n",
        ("3.11", "Dockerfile:2 FROM gcr.io/distroless/python3-debian12", "linux", None),
        id="distroless python3 on Debian 12",
    ),
    pytest.param(
        "FROM python:3.12-windowsservercore-ltsc2022\n",
        ("3.12", "Dockerfile:1 FROM python:3.12-windowsservercore-ltsc2022", "win32", None),
        id="a Windows image",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SHIPPED)
def test_shipped_python(text, expected):
    assert shipped_python(text, "Dockerfile") == ImagePython(*expected)


SILENT = [
    pytest.param("ARG PYTHON_VERSION\nFROM python:${PYTHON_VERSION}-slim\n", id="ARG, no default"),
    pytest.param("FROM python:${PYTHON_VERSION}-slim\n", id="an undeclared variable"),
    pytest.param("FROM python:3-slim\n", id="no minor version"),
    pytest.param("FROM node:20\nRUN npm ci\n", id="no Python at all"),
    pytest.param(
        "FROM node:12-slim\nRUN apt-get install -y python3\n", id="node's 12 is no Debian"
    ),
    pytest.param("FROM alpine:3.1\nRUN apk add python3\n", id="an Alpine release not known"),
    pytest.param("FROM ubuntu:22.04\nRUN apt-get install -y python3-yaml\n", id="a library"),
    pytest.param("RUN apt-get install python3\n", id="no FROM"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("text", SILENT)
def test_shipped_python_says_nothing_when_the_file_does_not(text):
    assert shipped_python(text, "Dockerfile") is None


@pytest.mark.parametrize(
    ("text", "target", "version"),
    [
        pytest.param(
            "FROM python:3.11 AS app\nFROM python:3.12 AS test\n", "app", "3.11", id="named"
        ),
        pytest.param("FROM python:3.11 AS app\nFROM python:3.12\n", "nope", "3.12", id="unknown"),
    ],
)
def test_shipped_python_of_the_docker_target(text, target, version):
    image = shipped_python(text, "Dockerfile", target)
    assert (image.version if image else None) == version


def test_a_base_image_from_an_arg_gives_its_family_too():
    # The family was unknown for a FROM with a variable (the image is python:3.12-alpine).
    text = "ARG BASE=python:3.12-alpine\nFROM ${BASE}\nRUN apk add libmagic\n"
    image = read_dockerfile(text, "Dockerfile")
    assert (image.family, image.packages, image.errors) == ("alpine", {"libmagic"}, ())


def test_every_os_release_says_its_python_and_its_source():
    from flake8_reqs.data_files import load_data

    data = load_data("os_python.toml")
    assert set(data) == {"alpine", "debian", "ubuntu"}
    for distro, releases in data.items():
        for release, entry in releases.items():
            assert set(entry) <= {"python", "aliases", "source"}, (distro, release)
            assert entry["python"].startswith("3."), (distro, release)
            assert entry["source"].startswith("https://"), (distro, release)
            assert all(isinstance(alias, str) for alias in entry.get("aliases", ()))
