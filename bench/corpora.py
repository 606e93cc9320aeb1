"""The code the benchmark runs on: pinned sdists from PyPI, unpacked, and a tiny generated one."""

from __future__ import annotations

import ast
import email.parser
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sdist:
    name: str
    version: str
    packages: tuple[str, ...]  # folders inside the sdist that are the importable code


DJANGO = Sdist("Django", "5.1.4", ("django",))
SYMPY = Sdist("sympy", "1.13.3", ("sympy",))
AIRFLOW = Sdist("apache-airflow-core", "3.3.2", ("src/airflow",))
CELERY = Sdist("celery", "5.4.0", ("celery", "t", "examples"))
# small: a Celery worker project of about 400 files (the package, its tests, its examples);
# medium: one project of about 900 files; large: three projects, together over 3,000 files.
CORPORA = {"small": (CELERY,), "medium": (DJANGO,), "large": (DJANGO, SYMPY, AIRFLOW)}
# The file each corpus's editor run checks (relative to its root).
SAMPLES = {
    "small": Path("celery/app/base.py"),
    "medium": Path("django/core/handlers/base.py"),
    "large": Path("django/core/handlers/base.py"),
}


@dataclass(frozen=True)
class Corpus:
    name: str
    root: Path  # holds the packages and requirements.txt; tools run with it as working directory
    files: int  # Python files
    sample: Path  # a typical file, relative to root, for the editor-latency run
    description: str


def isolate(cache: Path) -> None:
    """Make ``cache`` the end of flake8's search for a configuration file.

    flake8 looks for setup.cfg, tox.ini and .flake8 from the working directory up to the
    home folder, and the default cache is inside this repository: without this, every
    flake8 run on a corpus (and flake8-reqs' search for the project's configuration) took
    this repository's setup.cfg, with its ``reqs-file = pyproject.toml``. An empty
    ``[flake8]`` section is flake8's defaults; a corpus with its own configuration file
    keeps it, as it is found first.
    """
    stop = cache / ".flake8"
    if not stop.exists():
        stop.write_text("[flake8]\n# Ends flake8's search for a configuration file here.\n")


def fetch(sdist: Sdist, downloads: Path, python: Path) -> Path:
    """The sdist archive of ``sdist``, downloaded by pip into ``downloads`` unless already there."""
    for archive in _archives(downloads, sdist):
        return archive
    downloads.mkdir(parents=True, exist_ok=True)
    command = [str(python), "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    command += [f"{sdist.name}=={sdist.version}", "-d", str(downloads)]
    print(f"downloading {sdist.name} {sdist.version}", file=sys.stderr)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    for archive in _archives(downloads, sdist):
        return archive
    raise FileNotFoundError(f"pip saved no sdist of {sdist.name} {sdist.version} in {downloads}")


def _archives(downloads: Path, sdist: Sdist) -> list[Path]:
    stem = sdist.name.lower().replace("-", "_")
    return [
        path
        for path in sorted(downloads.glob("*"))
        if path.name.lower().replace("-", "_").startswith(f"{stem}_{sdist.version}.")
    ]


def unpack(archive: Path, into: Path) -> Path:
    """Unpack ``archive`` once under ``into``; return its top folder."""
    top = into / archive.name.removesuffix(".tar.gz").removesuffix(".zip")
    if not top.is_dir():
        into.mkdir(parents=True, exist_ok=True)
        if archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(into)
        else:
            with tarfile.open(archive) as tar:
                if hasattr(tarfile, "data_filter"):
                    tar.extractall(into, filter="data")
                else:
                    tar.extractall(into)
    return top


def runtime_requirements(unpacked: Path) -> list[str]:
    """The sdist's declared runtime requirements: PKG-INFO Requires-Dist without extras."""
    message = email.parser.Parser().parsestr((unpacked / "PKG-INFO").read_text(encoding="utf-8"))
    declared = message.get_all("Requires-Dist") or []
    return [line for line in declared if "extra ==" not in line.replace('"', "'")]


def build(name: str, cache: Path, python: Path) -> Corpus:
    """The corpus ``name`` (small, medium or large) under ``cache``, made once from its sdists."""
    sdists = CORPORA[name]
    root = (cache / "corpora" / name).resolve()
    stamp = root / ".bench-complete"
    if not stamp.is_file():
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        requirements: list[str] = []
        for sdist in sdists:
            top = unpack(fetch(sdist, cache / "sdists", python), cache / "unpacked")
            for package in sdist.packages:
                shutil.copytree(top / package, root / Path(package).name)
            requirements += [req for req in runtime_requirements(top) if req not in requirements]
        header = "# The runtime requirements the projects declare (PKG-INFO, without extras).\n"
        (root / "requirements.txt").write_text(header + "\n".join(requirements) + "\n")
        stamp.write_text("")
    described = ", ".join(f"{s.name} {s.version} ({', '.join(s.packages)})" for s in sdists)
    return Corpus(name, root, count_python_files(root), SAMPLES[name], described)


def scaled(corpus: Corpus, factor: int, cache: Path) -> Corpus:
    """``factor`` copies of ``corpus`` side by side in one project folder.

    Copy k of package ``pkg`` is the top-level package ``pkg_copyk``; its absolute imports
    still name ``pkg``, which is first-party in the same folder, so every copy has the
    same findings as the original. Each copied file gets a comment naming its copy, so
    that no tool can answer a copy from the first one by content hash.
    """
    if factor == 1:
        return corpus
    root = cache / "corpora" / f"{corpus.name}-x{factor}"
    stamp = root / ".bench-complete"
    if not stamp.is_file():
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(corpus.root, root, ignore=shutil.ignore_patterns(".bench-*"))
        packages = [path for path in sorted(corpus.root.iterdir()) if path.is_dir()]
        for copy in range(2, factor + 1):
            for package in packages:
                _copy_marked(package, root / f"{package.name}_copy{copy}", f"# copy {copy}\n")
        stamp.write_text("")
    return Corpus(
        f"{corpus.name} x{factor}",
        root,
        count_python_files(root),
        corpus.sample,
        f"{factor} copies of the {corpus.name} corpus",
    )


def _copy_marked(source: Path, target: Path, mark: str) -> None:
    for path in source.rglob("*"):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        elif path.suffix == ".py":
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(path.read_bytes() + mark.encode())
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def count_python_files(root: Path) -> int:
    return sum(1 for _ in root.rglob("*.py"))


# Files on which pyflakes itself (not a plugin) hits RecursionError, which makes flake8
# stop the whole run with '"pyflakes[F]" failed during execution': a 1 MB generated table.
PYFLAKES_CRASHES = ("sympy/polys/numberfields/resolvent_lookup.py",)


def pyflakes_crashes(root: Path) -> list[str]:
    """The PYFLAKES_CRASHES files in the corpus at ``root``; every flake8 run excludes them."""
    return [name for name in PYFLAKES_CRASHES if (root / name).is_file()]


def relative_import_module_calls(root: Path) -> list[str]:
    """Files calling ``import_module('.name', package)``: deptry 0.25.1 crashes on them."""
    found = []
    for path in sorted(root.rglob("*.py")):
        try:
            tree = ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value.startswith(".")
            ):
                found.append(path.relative_to(root).as_posix())
                break
    return found


_QUICK_MODULE = '''\
"""Module {index} of the generated quick corpus."""
import json
import os
from pathlib import Path

import requests
import yaml{undeclared}

from . import helpers
from .models import Record


def load_{index}(path: str) -> dict:
    """Read a JSON file and post it."""
    data = json.loads(Path(path).read_text())
    if os.environ.get("SEND"):
        requests.post("https://example.invalid", json=data, timeout=5)
    return {{"record": Record(data), "helpers": helpers.VERSION, "yaml": yaml.safe_dump(data)}}
'''


def quick(root: Path) -> Corpus:
    """A generated project of 30 files: stdlib, declared, undeclared and first-party imports."""
    package = root / "app"
    (package / "tests").mkdir(parents=True)
    (root / "requirements.txt").write_text("requests>=2\nPyYAML>=6\n")
    (package / "__init__.py").write_text('"""The quick corpus."""\n')
    (package / "helpers.py").write_text('VERSION = "1"\n')
    (package / "models.py").write_text("class Record(dict):\n    pass\n")
    for index in range(24):
        undeclared = "\nimport magic" if index % 6 == 0 else ""
        text = _QUICK_MODULE.format(index=index, undeclared=undeclared)
        (package / f"module_{index}.py").write_text(text)
    (package / "tests" / "__init__.py").write_text("")
    for index in range(3):
        test = f"""\
            import pytest

            from app.module_{index} import load_{index}


            def test_load_{index}(tmp_path):
                with pytest.raises(FileNotFoundError):
                    load_{index}(str(tmp_path / "missing.json"))
            """
        (package / "tests" / f"test_module_{index}.py").write_text(textwrap.dedent(test))
    return Corpus(
        "quick",
        root,
        count_python_files(root),
        Path("app/module_1.py"),
        "30 generated files",
    )
