"""read_system_file: Dockerfiles and package lists; is_provided: name matching."""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from packaging.utils import canonicalize_name

from flake8_reqs.errors import ReqsInputError
from flake8_reqs.system.files import (
    Coverage,
    SystemPackages,
    coverage,
    is_provided,
    read_system_file,
)
from flake8_reqs.system.native import NativeNeed


def read(tmp_path, name, text, target=None):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return read_system_file(path, name, target)


def summary(system):
    return system.family, set(system.packages), [str(error) for error in system.errors]


SLIM = "FROM python:3.12-slim\n"

DOCKERFILE_RUNS = [
    pytest.param("RUN apt-get install -y libmagic1\n", {"libmagic1"}, id="apt-get install"),
    pytest.param(
        "RUN apt-get update \\\n"
        "    && apt-get install -y --no-install-recommends \\\n"
        "        libmagic1 \\\n"
        "        poppler-utils \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n",
        {"libmagic1", "poppler-utils"},
        id="continuations and && chain",
    ),
    pytest.param(
        "RUN apt-get update; apt-get install -y a || true; apt install -y b | tee log\n",
        {"a", "b"},
        id="; || and | chains, apt install",
    ),
    pytest.param(
        "RUN apt-get -y -o Dpkg::Options::=--force-confnew --option=APT::Quiet=1 install c\n",
        {"c"},
        id="options before install, -o with a separate value",
    ),
    pytest.param(
        "RUN apt-get install -y libpq5=15.4-0+deb12u1 libssl3:amd64 foo/bookworm-backports\n",
        {"libpq5", "libssl3", "foo"},
        id="version pin, architecture and release suffixes",
    ),
    pytest.param(
        "RUN DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -qq -y libgl1\n",
        {"libgl1"},
        id="variable assignment and sudo before the command",
    ),
    pytest.param(
        "RUN apt-get install -y ./wkhtmltox.deb /tmp/x.deb git `cat more` $(cat list)\n",
        {"git"},
        id="local .deb files and command substitution are not package names",
    ),
    pytest.param(
        "RUN apt-get install -y gcc libpq-dev \\\n"
        "    && pip install psycopg2 \\\n"
        "    && apt-get purge -y --auto-remove gcc\n",
        {"libpq-dev"},
        id="apt-get purge removes",
    ),
    pytest.param(
        "RUN apt-get install -y a > /dev/null 2>&1 && apt-get install -y b 2> err.log\n",
        {"a", "b"},
        id="redirections",
    ),
    pytest.param(
        "RUN if ! dpkg -s curl; then apt-get install -y curl; fi\n",
        {"curl"},
        id="if/then",
    ),
    pytest.param(
        "RUN apt-get install -y \\\n"
        "# a comment inside the continuation\n"
        "    \\\n"
        "    tesseract-ocr\n",
        {"tesseract-ocr"},
        id="comment and empty lines inside a continuation",
    ),
    pytest.param("run apt-get install -y ffmpeg\n", {"ffmpeg"}, id="lower-case instruction"),
    pytest.param(
        "RUN --mount=type=cache,target=/var/cache/apt --network=default apt-get install -y x\n",
        {"x"},
        id="RUN flags",
    ),
    pytest.param('RUN ["apt-get", "install", "-y", "libmagic1"]\n', {"libmagic1"}, id="exec form"),
    pytest.param(
        'RUN ["/bin/sh", "-ec", "apt-get update && apt-get install -y libzbar0"]\n',
        {"libzbar0"},
        id="exec form through sh -c",
    ),
    pytest.param(
        "RUN <<EOF\nset -e\napt-get update\napt-get install -y \\\n  libvips42\nEOF\n",
        {"libvips42"},
        id="heredoc",
    ),
    pytest.param(
        "RUN bash <<-'SCRIPT'\n\tapt-get install -y graphviz\n\tSCRIPT\nRUN echo done\n",
        {"graphviz"},
        id="heredoc with <<- and a quoted word, then more instructions",
    ),
    pytest.param(
        "RUN python3 <<EOF\nimport os  # apt-get install -y not-shell\nEOF\n",
        set(),
        id="heredoc for another interpreter is not shell",
    ),
    pytest.param(
        "RUN cat <<EOF > /etc/apt/preferences\napt-get install -y not-a-command\nEOF\n",
        set(),
        id="heredoc as file content",
    ),
    pytest.param(
        "RUN apk add --no-cache libmagic tesseract-ocr\n",
        {"libmagic", "tesseract-ocr"},
        id="apk add",
    ),
    pytest.param(
        "RUN apk add --no-cache --virtual .build-deps gcc musl-dev && apk add libpq=15.4-r0\n",
        {"gcc", "musl-dev", "libpq"},
        id="apk --virtual NAME is not a package; version pin",
    ),
    pytest.param(
        "RUN apk add -t .deps build-base postgresql-dev \\\n"
        "    && pip install psycopg2 \\\n"
        "    && apk del .deps \\\n"
        "    && apk add libpq\n",
        {"libpq"},
        id="apk del of a virtual group removes its packages",
    ),
    pytest.param(
        "RUN dnf install -y file-libs && yum -y install tesseract\n",
        {"file-libs", "tesseract"},
        id="dnf and yum",
    ),
    pytest.param(
        "RUN microdnf install --nodocs --setopt=install_weak_deps=0 -y mesa-libGL \\\n"
        "    && dnf --enablerepo crb install -y @development poppler-utils\n",
        {"mesa-libGL", "poppler-utils"},
        id="microdnf, --setopt=, --enablerepo VALUE, @group",
    ),
    pytest.param("RUN pip install python-magic\n", set(), id="no system packages"),
]


@pytest.mark.parametrize(("run", "packages"), DOCKERFILE_RUNS)
def test_dockerfile_installs(tmp_path, run, packages):
    assert summary(read(tmp_path, "Dockerfile", SLIM + run)) == ("debian", packages, [])


def test_escape_directive(tmp_path):
    text = "# escape=`\nFROM python:3.12-slim\nRUN apt-get install -y `\n    libmagic1\n"
    assert summary(read(tmp_path, "Dockerfile", text)) == ("debian", {"libmagic1"}, [])


MULTI_STAGE = """\
FROM python:3.12-slim AS Builder
RUN apt-get install -y build-essential libpq-dev
FROM builder AS wheels
RUN apt-get install -y git
FROM debian:bookworm-slim AS base
RUN apt-get install -y libmagic1
FROM base AS runtime
RUN apt-get install -y libpq5
COPY --from=wheels /wheels /wheels
FROM alpine:3.20 AS tools
RUN apk add curl
"""

STAGES = [
    pytest.param(None, "alpine", {"curl"}, id="the last stage by default"),
    pytest.param("runtime", "debian", {"libmagic1", "libpq5"}, id="target and its FROM stage"),
    pytest.param("RUNTIME", "debian", {"libmagic1", "libpq5"}, id="target is case-insensitive"),
    pytest.param(
        "wheels", "debian", {"build-essential", "libpq-dev", "git"}, id="FROM a named stage"
    ),
    pytest.param("base", "debian", {"libmagic1"}, id="a stage is not its children"),
]


@pytest.mark.parametrize(("target", "family", "packages"), STAGES)
def test_multi_stage(tmp_path, target, family, packages):
    result = read(tmp_path, "Dockerfile", MULTI_STAGE, target)
    assert summary(result) == (family, packages, [])


def test_from_chain_is_transitive_and_family_comes_from_its_root(tmp_path):
    text = (
        "FROM --platform=$BUILDPLATFORM alpine:3.20 AS a\nRUN apk add libmagic\n"
        "FROM a AS b\nRUN apk add zbar\n"
        "FROM python:3.12-slim AS other\nRUN apt-get install -y nope\n"
        "FROM b\nRUN apk add vips\n"
    )
    assert summary(read(tmp_path, "Dockerfile", text)) == (
        "alpine",
        {"libmagic", "zbar", "vips"},
        [],
    )


def test_unknown_target_uses_the_last_stage_and_says_so(tmp_path):
    result = read(tmp_path, "Dockerfile", MULTI_STAGE, "prod")
    assert summary(result) == (
        "alpine",
        {"curl"},
        ["Dockerfile: no stage named 'prod'; the last stage is used"],
    )


# ARG and ENV values, expanded as Docker does in a build without --build-arg.
EXPANDED = [
    pytest.param(
        'ARG RUNTIME_PACKAGES="libmagic1 tesseract-ocr"\n'
        "RUN apt-get install -y ${RUNTIME_PACKAGES}\n",
        {"libmagic1", "tesseract-ocr"},
        id="ARG default, braces, split into words",
    ),
    pytest.param(
        "ENV PKGS=libzbar0\nRUN apt-get install -y $PKGS\n", {"libzbar0"}, id="ENV NAME=value"
    ),
    pytest.param(
        "ENV PKGS libzbar0 libdmtx0b\nRUN apt-get install -y $PKGS\n",
        {"libzbar0", "libdmtx0b"},
        id="ENV NAME value (old form: the rest of the line)",
    ),
    pytest.param(
        "ARG EXTRA\nRUN apt-get install -y ${EXTRA:-libgl1} curl\n",
        {"libgl1", "curl"},
        id="${VAR:-default} of an ARG without a default",
    ),
    pytest.param(
        'ARG EXTRA=""\nRUN apt-get install -y ${EXTRA:-libgl1} ${EXTRA-libx} curl\n',
        {"libgl1", "curl"},
        id=":- takes the default for an empty value, - does not",
    ),
    pytest.param(
        "ARG WITH_OCR=1\nRUN apt-get install -y curl ${WITH_OCR:+tesseract-ocr}\n",
        {"curl", "tesseract-ocr"},
        id="${VAR:+word}",
    ),
    pytest.param(
        "ARG A=libvips42\nENV A=libpq5\nRUN apt-get install -y $A\n",
        {"libpq5"},
        id="ENV wins over an ARG of the same name",
    ),
    pytest.param(
        "ARG V=1\nENV LIB=libmagic${V} B='$V'\nRUN apt-get install -y $LIB\n",
        {"libmagic1"},
        id="ENV values are expanded too; single quotes keep $ literal",
    ),
    pytest.param(
        'RUN set -eux; buildDeps="gcc libpq-dev"; \\\n'
        "    apt-get install -y $buildDeps libpq5 && pip install psycopg2 \\\n"
        "    && apt-get purge -y $buildDeps\n",
        {"libpq5"},
        id="variables the script sets itself, for install and purge",
    ),
    pytest.param(
        "ARG PKGS=libgl1\n"
        'RUN ["apt-get", "install", "-y", "$PKGS"]\n'
        'RUN ["sh", "-c", "apt-get install -y $PKGS"]\n',
        {"libgl1"},
        id="exec form runs no shell: nothing expanded; sh -c expands",
    ),
]


@pytest.mark.parametrize(("text", "packages"), EXPANDED)
def test_arg_and_env_are_expanded(tmp_path, text, packages):
    assert summary(read(tmp_path, "Dockerfile", SLIM + text)) == ("debian", packages, [])


UNEXPANDED = [
    pytest.param(
        "ARG EXTRA\nRUN apt-get install -y libmagic1 $EXTRA\nRUN apt-get install -y curl\n",
        {"curl", "libmagic1"},
        ["Dockerfile:3: cannot expand $EXTRA: ARG EXTRA has no default value; what it would "
         "install is not counted"],
        id="ARG without a default: its words count for nothing, the others do",
    ),
    pytest.param(
        "RUN apt-get install -y $PKGS\nRUN apt-get install -y ${PKGS} git\n",
        {"git"},
        ["Dockerfile:2: cannot expand $PKGS: no ARG or ENV sets PKGS; what it would install "
         "is not counted"],
        id="said once per variable",
    ),
    pytest.param(
        "ENV LIB=${BASE}-dev\nRUN apt-get install -y $LIB\n",
        set(),
        ["Dockerfile:3: cannot expand $LIB: ENV LIB uses $BASE, which has no value; what it "
         "would install is not counted"],
        id="ENV from a variable without a value",
    ),
    pytest.param(
        "ARG PKGS='a b'\nRUN apt-get install -y ${PKGS%% *}\n",
        set(),
        ["Dockerfile:3: cannot expand $PKGS: only ${PKGS}, ${PKGS:-word} and ${PKGS:+word} are "
         "expanded; what it would install is not counted"],
        id="a form Docker does not expand",
    ),
    pytest.param(
        "RUN for p in a b; do apt-get install -y $p; done\n",
        set(),
        ["Dockerfile:2: cannot expand $p: no ARG or ENV sets p; what it would install is not "
         "counted"],
        id="a loop variable",
    ),
    pytest.param(
        "RUN echo $HOME $PATH && apt-get remove -y $OLD\n",
        set(),
        [],
        id="not an install: nothing to say",
    ),
    pytest.param(
        "RUN apt-get install -y $NOPE\nFROM python:3.12-slim\nRUN apt-get install -y git\n",
        {"git"},
        [],
        id="in a stage that is not shipped: nothing to say",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "packages", "errors"), UNEXPANDED)
def test_a_word_with_a_variable_without_value_counts_for_nothing(tmp_path, text, packages, errors):
    assert summary(read(tmp_path, "Dockerfile", SLIM + text)) == ("debian", packages, errors)


def test_args_before_from_name_the_image_and_must_be_declared_again(tmp_path):
    text = (
        "ARG PYTHON=3.12\nARG PKGS=libmagic1\n"
        "FROM python:${PYTHON}-alpine AS base\n"
        "RUN apk add $PKGS\n"
        "FROM base\nARG PKGS\nRUN apk add $PKGS\n"
    )
    result = read(tmp_path, "Dockerfile", text)
    assert (result.base, summary(result)) == (
        "python:3.12-alpine",
        (
            "alpine",
            {"libmagic1"},
            [
                "Dockerfile:4: cannot expand $PKGS: ARG PKGS is declared before FROM but not "
                "again in this stage; what it would install is not counted"
            ],
        ),
    )


def test_env_is_inherited_by_the_stages_built_from_a_stage(tmp_path):
    text = (
        "FROM python:3.12-slim AS base\nENV OCR=tesseract-ocr\nARG GONE=x\n"
        "FROM base\nRUN apt-get install -y $OCR ${GONE:-ghostscript}\n"
    )
    assert summary(read(tmp_path, "Dockerfile", text)) == (
        "debian",
        {"tesseract-ocr", "ghostscript"},
        [],
    )


BUILDERS = """\
FROM python:3.12-slim AS builder
RUN apt-get install -y build-essential libpq-dev && pip wheel -w /wheels psycopg2 \\
    && apt-get purge -y build-essential
FROM python:3.12-slim AS venv
RUN apk add nothing-shipped
FROM node:20 AS assets
RUN apt-get install -y nodejs-extra
FROM builder AS tools
FROM python:3.12-slim
RUN apt-get install -y libpq5
COPY --from=builder /wheels /wheels
RUN --mount=type=bind,from=venv,source=/opt/venv,target=/tmp/venv true
COPY --from=docker.io/library/busybox:latest /bin/busybox /bin/busybox
"""


def test_build_packages_come_from_the_stages_the_shipped_one_copies(tmp_path):
    result = read(tmp_path, "Dockerfile", BUILDERS)
    assert summary(result) == ("debian", {"libpq5"}, [])
    # Everything ever installed where wheels are built (purged or not), and the slim image's
    # own packages; not the stages nothing is copied from (assets, tools).
    assert result.build_packages == {
        "build-essential", "libpq-dev", "nothing-shipped", "libpq5",
        "ca-certificates", "netbase", "tzdata",
    }  # fmt: skip
    assert result.base == "python:3.12-slim"
    assert result.base_packages == {"ca-certificates", "netbase", "tzdata"}


def test_copies_are_followed_from_stage_to_stage_and_by_number(tmp_path):
    text = (
        "FROM python:3.12-slim\nRUN apt-get install -y gcc\n"
        "FROM python:3.12-slim AS wheels\nCOPY --from=0 /a /a\n"
        "FROM python:3.12-slim\nCOPY --from=wheels /a /a\n"
    )
    assert "gcc" in read(tmp_path, "Dockerfile", text).build_packages


def test_the_official_python_image_counts_what_it_has(tmp_path):
    result = read(tmp_path, "Dockerfile", "FROM docker.io/library/python:3.12\n")
    assert {"gcc", "libpq-dev", "libmagic1", "tk-dev"} <= result.base_packages
    assert read(tmp_path, "Dockerfile", "FROM myorg/python:3.12\n").base_packages == set()


FAMILIES = [
    ("python:3.12-slim", "debian"),
    ("python:3.12", "debian"),
    ("python@sha256:0123abcd", "debian"),
    ("docker.io/library/python:3.12-slim-bookworm", "debian"),
    ("localhost:5000/python:3.12", "debian"),
    ("debian:bookworm-slim", "debian"),
    ("ubuntu:24.04", "debian"),
    ("node:20-bookworm", "debian"),
    ("nvidia/cuda:12.4.1-runtime-ubuntu22.04", "debian"),
    ("gcr.io/distroless/python3-debian12", "debian"),
    ("python:3.12-alpine", "alpine"),
    ("alpine:3.20", "alpine"),
    ("registry.access.redhat.com/ubi9/python-312", "fedora"),
    ("registry.access.redhat.com/ubi9/ubi-minimal:9.4", "fedora"),
    ("fedora:40", "fedora"),
    ("quay.io/centos/centos:stream9", "fedora"),
    ("rockylinux:9", "fedora"),
    ("almalinux:9", "fedora"),
    ("amazonlinux:2023", "fedora"),
    ("python:3.12-windowsservercore", None),
    ("scratch", None),
    ("$BASE_IMAGE", None),
    ("${PYTHON_IMAGE}-slim", None),
    ("myorg/app:latest", None),
]


@pytest.mark.parametrize(("image", "family"), FAMILIES, ids=[image for image, _ in FAMILIES])
def test_family_from_base_image(tmp_path, image, family):
    assert read(tmp_path, "Dockerfile", f"FROM {image}\n").family == family


@pytest.mark.parametrize(
    "name", ["Dockerfile", "Containerfile", "Dockerfile.prod", "app.Dockerfile", "dockerfile"]
)
def test_dockerfile_names(tmp_path, name):
    assert read(tmp_path, name, SLIM + "RUN apt-get install -y x\n").packages == {"x"}


LISTS = [
    pytest.param(
        "Aptfile",
        "# run-time libraries\nlibmagic1\n\n:repo:deb http://example.org/ jammy main\n"
        "https://example.org/wkhtmltox.deb\ntesseract-ocr  # OCR\n",
        {"libmagic1", "tesseract-ocr"},
        id="Aptfile: comments, :repo: lines and .deb URLs",
    ),
    pytest.param(
        "apt.txt", "libgl1\nlibglib2.0-0=2.74.6-2\n", {"libgl1", "libglib2.0-0"}, id="apt.txt"
    ),
    pytest.param(
        "packages.txt",
        "ffmpeg\n# x\nlibsm6 libxext6\n",
        {"ffmpeg", "libsm6", "libxext6"},
        id="packages.txt",
    ),
    pytest.param(
        "bindep.txt",
        "libmagic1\n"
        "libpq5 [platform:dpkg]\n"
        "libpq [platform:rpm]\n"
        "zlib1g [!platform:rpm]\n"
        "file-libs [!platform:dpkg]\n"
        "pytest-deps [test]\n"
        "libpq-dev [platform:dpkg compile]\n"
        "tesseract-ocr [platform:ubuntu-jammy] >=4\n"
        "libgl1 [platform:debian !platform:rpm]  # comment\n",
        {"libmagic1", "libpq5", "zlib1g", "tesseract-ocr", "libgl1"},
        id="bindep.txt: dpkg or untagged, no profiles",
    ),
    pytest.param(
        "nixpacks.toml",
        '[phases.setup]\nnixPkgs = ["...", "ffmpeg"]\naptPkgs = ["...", "libmagic1", "libgl1"]\n',
        {"libmagic1", "libgl1"},
        id="nixpacks.toml: aptPkgs, '...' is not a package",
    ),
    pytest.param(
        "nixpacks.toml", '[start]\ncmd = "x"\n', set(), id="nixpacks.toml without aptPkgs"
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "packages"), LISTS)
def test_package_lists(tmp_path, name, text, packages):
    assert summary(read(tmp_path, name, text)) == ("debian", packages, [])


BROKEN = [
    pytest.param(
        "Dockerfile",
        SLIM + "RUN apt-get install -y libmagic1 \\\n",
        ("debian", {"libmagic1"}, ["Dockerfile:2: line continuation at end of file"]),
        id="continuation at end of file",
    ),
    pytest.param(
        "Dockerfile",
        SLIM + "RUN <<EOF\napt-get install -y libzbar0\n",
        ("debian", {"libzbar0"}, ["Dockerfile:2: heredoc 'EOF' is not terminated"]),
        id="unterminated heredoc",
    ),
    pytest.param(
        "Dockerfile",
        SLIM + "RUN echo 'oops && apt-get install -y git\n",
        ("debian", {"git"}, ["Dockerfile:2: RUN cannot be split into words: no closing quotation"]),
        id="unbalanced quote",
    ),
    pytest.param(
        "Dockerfile",
        "RUN apt-get install -y git\n",
        (None, set(), ["Dockerfile: no FROM instruction"]),
        id="no FROM",
    ),
    pytest.param(
        "Dockerfile",
        SLIM + 'RUN ["apt-get", "install", \n',
        ("debian", set(), []),
        id="broken exec form runs as shell form, as docker does",
    ),
    pytest.param(
        "bindep.txt",
        "libmagic1\nlibpq5 [platform:dpkg\n",
        ("debian", {"libmagic1", "libpq5"}, ["bindep.txt:2: '[' without a closing ']'"]),
        id="bindep selector not closed",
    ),
    pytest.param(
        "nixpacks.toml",
        '[phases.setup]\naptPkgs = ["libmagic1"\n',
        ("debian", set(), ["nixpacks.toml:2: invalid TOML: Unclosed array"]),
        id="nixpacks TOML error",
    ),
    pytest.param(
        "nixpacks.toml",
        '[phases.setup]\naptPkgs = ["a"]\n= broken\n',
        ("debian", set(), ["nixpacks.toml:3: invalid TOML: Invalid statement"]),
        id="nixpacks TOML error with a line",
    ),
    pytest.param(
        "nixpacks.toml",
        "phases = 1\n",
        ("debian", set(), ["nixpacks.toml: [phases.setup] aptPkgs is not a list of names"]),
        id="nixpacks phases not a table",
    ),
    pytest.param(
        "nixpacks.toml",
        '[phases.setup]\naptPkgs = "libmagic1"\n',
        ("debian", set(), ["nixpacks.toml: [phases.setup] aptPkgs is not a list of names"]),
        id="nixpacks aptPkgs not a list",
    ),
    pytest.param(
        "requirements.txt",
        "libmagic1\n",
        (None, set(), [
            "requirements.txt: not a known system file: expected a Dockerfile, Containerfile, "
            "Aptfile, apt.txt, packages.txt, bindep.txt or nixpacks.toml"
        ]),
        id="unknown file name",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "expected"), BROKEN)
def test_broken_inputs_give_errors_and_a_best_effort_result(tmp_path, name, text, expected):
    assert summary(read(tmp_path, name, text)) == expected


def test_a_missing_file_raises(tmp_path):
    with pytest.raises(ReqsInputError) as info:
        read_system_file(tmp_path / "Dockerfile", "docker/Dockerfile")
    assert str(info.value) == "docker/Dockerfile: no such file"


def test_a_file_that_is_not_utf8_raises(tmp_path):
    (tmp_path / "Aptfile").write_bytes(b"libmagic1\n\xff\n")
    with pytest.raises(ReqsInputError) as info:
        read_system_file(tmp_path / "Aptfile", "Aptfile")
    assert str(info.value) == "Aptfile: is not valid UTF-8 text (line 2); save it as UTF-8"


def need(kind="library", **families):
    build = {name[6:]: tuple(v) for name, v in families.items() if name.startswith("build_")}
    packages = {name: tuple(v) for name, v in families.items() if not name.startswith("build_")}
    return NativeNeed(canonicalize_name("x"), kind, "x", packages, build, None, "test")


MAGIC = need(debian=["libmagic1 | libmagic1t64"], alpine=["libmagic"], fedora=["file-libs"])
PSYCOPG2 = need(
    "build", debian=["libpq5"], fedora=["libpq"], build_debian=["build-essential", "libpq-dev"]
)
UWSGI = need("build", build_debian=["build-essential | gcc"], build_alpine=["build-base"])
LDAP = need(debian=["libldap-2.5-0 | libldap2"])
WAND = need(debian=["imagemagick | libmagickwand-6.q16-6 | libmagickwand-7.q16-10"])

OPENCV = need(debian=["libgl1", "libglib2.0-0 | libglib2.0-0t64"], alpine=["mesa-gl", "glib"])
MYSQL = need(
    "build",
    debian=["libmariadb3"],
    build_debian=["build-essential", "pkg-config", "default-libmysqlclient-dev"],
)

PROVIDED = [
    pytest.param(MAGIC, "debian", {"libmagic1"}, True, id="exact name"),
    pytest.param(MAGIC, "debian", {"libmagic-dev"}, True, id="-dev variant"),
    pytest.param(MAGIC, "debian", {"libmagic1t64"}, True, id="t64 variant"),
    pytest.param(MAGIC, "debian", {"libmagic-mgc"}, False, id="a different package"),
    pytest.param(MAGIC, "alpine", {"libmagic"}, True, id="alpine name"),
    pytest.param(MAGIC, "fedora", {"file-devel"}, True, id="fedora -devel variant"),
    pytest.param(MAGIC, "fedora", {"libmagic1"}, False, id="another family's name"),
    pytest.param(MAGIC, None, {"file-libs"}, True, id="any family when unknown"),
    pytest.param(MAGIC, "debian", set(), False, id="nothing installed"),
    pytest.param(OPENCV, "debian", {"libgl1", "libglib2.0-0"}, True, id="all of a need"),
    pytest.param(OPENCV, "debian", {"libgl1"}, False, id="half of a need is not enough"),
    pytest.param(OPENCV, "debian", {"libglib2.0-0t64"}, False, id="the other half neither"),
    pytest.param(OPENCV, "debian", {"libgl1", "libglib2.0-0t64"}, True, id="all, one of a | b"),
    pytest.param(OPENCV, None, {"libgl1", "glib"}, False, id="unknown family: not mixed"),
    pytest.param(OPENCV, None, {"mesa-gl", "glib"}, True, id="unknown family: all of one"),
    pytest.param(UWSGI, "debian", {"gcc"}, True, id="build need without run-time packages"),
    pytest.param(UWSGI, "alpine", {"build-base"}, True, id="build need on alpine"),
    pytest.param(LDAP, "debian", {"libldap2"}, True, id="second alternative"),
    pytest.param(LDAP, "debian", {"libldap-dev"}, True, id="alternative's -dev"),
    pytest.param(WAND, "debian", {"libmagickwand-dev"}, True, id="version in the middle"),
]


@pytest.mark.parametrize(("need_", "family", "installed", "provided"), PROVIDED)
def test_is_provided(need_, family, installed, provided):
    assert is_provided(need_, SystemPackages(family, frozenset(installed))) is provided


# (shipped image, packages present in the stages that build wheels, is the need met?)
BUILD_NEEDS = [
    pytest.param(PSYCOPG2, {"libpq5"}, {"build-essential", "libpq-dev"}, True,
                 id="builder has the headers, the image the library"),
    pytest.param(PSYCOPG2, {"libpq-dev", "build-essential"}, set(), True,
                 id="one stage builds and ships"),
    pytest.param(PSYCOPG2, {"libpq-dev"}, {"gcc"}, True, id="gcc for build-essential"),
    pytest.param(PSYCOPG2, {"libpq5"}, set(), False,
                 id="was silent before: the library alone, nothing to build with"),
    pytest.param(PSYCOPG2, set(), {"build-essential", "libpq-dev"}, False,
                 id="built, but the image lacks the library"),
    pytest.param(PSYCOPG2, {"libpq5"}, {"build-essential"}, False, id="no headers"),
    pytest.param(PSYCOPG2, {"libpq-dev"}, set(), False, id="headers without a compiler"),
    pytest.param(MYSQL, {"libmariadb3"}, {"gcc", "pkgconf", "default-libmysqlclient-dev"}, True,
                 id="pkgconf for pkg-config"),
    pytest.param(MYSQL, {"libmariadb3"}, {"gcc", "default-libmysqlclient-dev"}, False,
                 id="pkg-config missing"),
]  # fmt: skip


@pytest.mark.parametrize(("need_", "shipped", "building", "met"), BUILD_NEEDS)
def test_a_build_need_is_met_where_wheels_are_built(need_, shipped, building, met):
    system = SystemPackages(
        "debian", frozenset(shipped), build_packages=frozenset(building), sees_builds=True
    )
    assert is_provided(need_, system) is met


@pytest.mark.parametrize(
    ("installed", "met"),
    [
        pytest.param({"libpq5"}, True, id="the run-time library is enough"),
        pytest.param({"libpq-dev"}, True, id="its -dev package too"),
        pytest.param({"build-essential"}, False, id="a compiler alone is not"),
    ],
)
def test_a_package_list_does_not_show_where_wheels_are_built(tmp_path, installed, met):
    # Heroku builds in an image with gcc and libpq-dev; an Aptfile lists only the extras.
    system = read(tmp_path, "Aptfile", "\n".join(installed) + "\n")
    assert system.sees_builds is False
    assert is_provided(PSYCOPG2, system) is met


def test_coverage_names_what_is_missing():
    system = SystemPackages("debian", frozenset({"libgl1"}))
    assert coverage(OPENCV, system) == Coverage(
        False, "debian", ("libglib2.0-0 | libglib2.0-0t64",), ()
    )
    built = SystemPackages(
        "debian", frozenset(), build_packages=frozenset({"gcc", "libpq-dev"}), sees_builds=True
    )
    assert coverage(PSYCOPG2, built) == Coverage(False, "debian", ("libpq5",), ())


BROWSERS = need("runtime")._replace(setup="playwright install --with-deps chromium")

SET_UP = [
    pytest.param("playwright install --with-deps chromium", True, id="the setup command"),
    pytest.param("playwright install", True, id="without flags or browsers"),
    pytest.param("python -m playwright install firefox webkit", True, id="python -m"),
    pytest.param("/opt/venv/bin/python3.12 -u -m playwright install", True, id="python options"),
    pytest.param("python -X dev -mplaywright install", True, id="-X value and -mNAME"),
    pytest.param("uv run --no-sync playwright install chromium", True, id="uv run"),
    pytest.param("pipenv run python -m playwright install", True, id="runner and python -m"),
    pytest.param("sudo -E PLAYWRIGHT_BROWSERS_PATH=/ms playwright install", True, id="sudo"),
    pytest.param("playwright --version", False, id="no subcommand"),
    pytest.param("playwright install-deps", False, id="another subcommand"),
    pytest.param("npx playwright install", False, id="Node's playwright"),
    pytest.param("python -c 'import playwright' install", False, id="python -c"),
    pytest.param("python setup.py install", False, id="a script"),
    pytest.param("pip install playwright", False, id="installing the distribution"),
]


@pytest.mark.parametrize(("run", "provided"), SET_UP)
def test_the_setup_command_provides_the_need(tmp_path, run, provided):
    system = read(tmp_path, "Dockerfile", f"{SLIM}RUN apt-get update && {run}\n")
    assert is_provided(BROWSERS, system) is provided
    assert is_provided(BROWSERS._replace(setup=None), system) is False


SETUP_STAGES = """\
FROM python:3.12-slim AS base
RUN playwright install chromium
FROM python:3.12-slim AS browsers
RUN ["python", "-m", "playwright", "install", "firefox"]
FROM base AS app
RUN true
FROM python:3.12-slim AS tools
COPY --from=browsers /root/.cache /root/.cache
"""


@pytest.mark.parametrize(
    ("target", "provided"),
    [
        pytest.param(None, False, id="the last stage only copies from a stage that runs it"),
        pytest.param("app", True, id="the target's FROM stage runs it"),
        pytest.param("browsers", True, id="exec form in the target"),
    ],
)
def test_the_setup_command_counts_in_the_shipped_stage_only(tmp_path, target, provided):
    system = read(tmp_path, "Dockerfile", SETUP_STAGES, target)
    assert is_provided(BROWSERS, system) is provided


def test_package_lists_run_no_commands(tmp_path):
    assert read(tmp_path, "Aptfile", "playwright install\n").commands == frozenset()


DOCKER_WORDS = [
    "FROM python:3.12-slim", "FROM", "FROM b", " AS b", "RUN", " apt-get install -y", " apk add",
    " --virtual", " .deps", " apk del", " dnf install", " libmagic1", "\\", "\n", "<<EOF", "<<-X",
    "EOF", "X", '"', "'", "&&", ";", "||", "|", "[", "]", '["sh", "-c", "', "# escape=`", "`",
    "\t", "$(", ")", ">", "2>&1", "=", ":", "/",
    "ARG X", "=libgl1", "ENV X ", "X=", "$X", "${X", ":-", ":+", "}", "${", "COPY --from=b",
    "RUN --mount=from=0 ", "export X=",
]  # fmt: skip


# Text without lone surrogates: anything a UTF-8 Dockerfile can hold.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(st.sampled_from(DOCKER_WORDS) | TEXT, max_size=40),
    target=st.none() | st.sampled_from(["b", "missing"]),
)
@example(parts=["\\"], target=None)  # a lone continuation raised before 0.1
def test_read_system_file_never_raises_on_dockerfile_text(parts, target):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Dockerfile"
        path.write_text("".join(parts), encoding="utf-8")
        result = read_system_file(path, "Dockerfile", target)
    assert isinstance(result.packages, frozenset)
    assert all(isinstance(error, ReqsInputError) for error in result.errors)
