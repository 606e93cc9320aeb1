"""Build flake8_reqs/data/pypi_import_names.txt and its NOTICE from the database pigar ships.

    pip download --no-deps pigar==2.2.0 -d /tmp/pigar
    python scripts/build_import_index.py /tmp/pigar/pigar-2.2.0-py3-none-any.whl

The source may be the wheel (the database, ``pigar/.db.sqlite3``, is read out of it) or the
database file itself, with ``--wheel`` naming the wheel it came from (for its version,
licence and hash). Standard library and ``packaging`` only. The data file depends only on
the source's bytes and the options: the same wheel gives the same file, so anyone can
re-check it. The NOTICE also records the date it was built (``--built``, else
SOURCE_DATE_EPOCH, else today).

What is kept: a distribution whose kept top-level names are not all given by the name
guess of ``flake8_reqs/declared/import_index.py`` (imported from this checkout, so the
builder and the runtime share one guess). See ``choose`` for what is left out and why.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime
import hashlib
import keyword
import os
import re
import sqlite3
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flake8_reqs.declared.import_index import guessed_import_names  # noqa: E402

DB_MEMBER = "pigar/.db.sqlite3"
DATA_NAME = "pypi_import_names.txt"
NOTICE_NAME = "pypi_import_names.NOTICE.md"

# Top-level names that are packaging mistakes or never imported by a project's code.
JUNK = frozenset(
    {
        "test",
        "tests",
        "testing",
        "doc",
        "docs",
        "example",
        "examples",
        "benchmark",
        "benchmarks",
        "setup",
        "conftest",
    }
)
# Namespace roots shared by distributions that each provide a part of them: a top-level name
# says nothing about which part (google-cloud-storage does not provide google.protobuf).
# Most are also caught by --shared-limit; these are the well-known ones below it.
NAMESPACE_ROOTS = frozenset(
    {
        "backports",
        "flaskext",
        "jaraco",
        "repoze",
        "ruamel",
        "z3c",
        "zc",
        "zope",
    }
)
PEP508_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def wheel_facts(wheel: Path) -> tuple[str, str]:
    """pigar's version (from METADATA) and its LICENSE text, read from the wheel."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        version = ""
        for line in archive.read(meta).decode("utf-8").splitlines():
            if line.startswith("Name:") and line.split(":", 1)[1].strip().lower() != "pigar":
                raise SystemExit(f"{wheel} is not a pigar wheel")
            if line.startswith("Version:"):
                version = line.split(":", 1)[1].strip()
                break
        licence = next(n for n in names if re.search(r"\.dist-info/(licenses/)?LICENSE$", n))
        return version, archive.read(licence).decode("utf-8")


def extract_db(wheel: Path, db: Path) -> None:
    """Copy the database out of pigar's wheel (sqlite3 reads files only)."""
    with zipfile.ZipFile(wheel) as archive, archive.open(DB_MEMBER) as member:
        db.write_bytes(member.read())


def usable(module: str) -> bool:
    """A top-level name code can import and that says something about a distribution."""
    return (
        module.isascii()
        and module.isidentifier()
        and not keyword.iskeyword(module)
        and not (module.startswith("__") and module.endswith("__"))
        and module.lower() not in JUNK
    )


def read_db(db: Path) -> dict[str, set[str]]:
    """Normalised distribution name -> usable top-level names (names that normalise alike merge)."""
    provided: dict[str, set[str]] = collections.defaultdict(set)
    uri = f"{db.resolve().as_uri()}?mode=ro&immutable=1"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        rows = connection.execute(
            "SELECT d.name, t.name FROM distributions d"
            " JOIN top_level_module_names t ON t.distribution_id = d.id"
        )
        for dist, module in rows:
            if PEP508_NAME.match(dist) and usable(module):
                provided[canonicalize_name(dist)].add(module)
    return provided


def count_distributions(db: Path) -> int:
    uri = f"{db.resolve().as_uri()}?mode=ro&immutable=1"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        (count,) = connection.execute("SELECT COUNT(*) FROM distributions").fetchone()
    return int(count)


def choose(
    provided: dict[str, set[str]], shared_limit: int, max_names: int
) -> tuple[dict[str, list[str]], collections.Counter[str], list[str], list[str]]:
    """The entries to store; counts of what was left out; the names and distributions left out.

    - a name that ``shared_limit`` or more distributions provide is a namespace root or a
      generic name (google, azure, odoo, src, utils, app): left out of every entry;
    - a distribution with more than ``max_names`` names left is vendoring or a packaging
      mess: left out whole, not cut, since an entry replaces the guess and a cut one would
      miss names;
    - a distribution whose names the guess all gives is left out: the guess is enough.
    """
    sharing = collections.Counter(module for modules in provided.values() for module in modules)
    dropped_names = {m for m, n in sharing.items() if n >= shared_limit} | NAMESPACE_ROOTS
    stats: collections.Counter[str] = collections.Counter()
    entries: dict[str, list[str]] = {}
    too_many: list[str] = []
    for dist in sorted(provided):
        modules = provided[dist] - dropped_names
        if not modules:
            stats["no usable name"] += 1
            continue
        if len(modules) > max_names:
            stats["too many names"] += 1
            too_many.append(f"{dist} ({len(modules)})")
            continue
        guesses = guessed_import_names(dist)
        if all(module.lower() in guesses for module in modules):
            stats["guessed"] += 1
            continue
        entries[dist] = sorted(modules)
    stats["shared names dropped"] = len(dropped_names)
    return entries, stats, sorted(dropped_names), too_many


def wrap(text: str) -> str:
    return textwrap.fill(text, width=95, break_on_hyphens=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", type=Path, help="pigar's wheel, or its .db.sqlite3 file")
    parser.add_argument("--wheel", type=Path, help="the wheel the database came from")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "flake8_reqs" / "data")
    parser.add_argument("--shared-limit", type=int, default=100)
    parser.add_argument("--max-names", type=int, default=64)
    parser.add_argument("--built", help="date built, for the NOTICE (YYYY-MM-DD)")
    args = parser.parse_args(argv)

    wheel = args.source if args.source.suffix == ".whl" else args.wheel
    if wheel is None:
        parser.error("give the wheel, or --wheel with the database")
    version, licence = wheel_facts(wheel)
    with tempfile.TemporaryDirectory() as tmp:
        if args.source.suffix == ".whl":
            db = Path(tmp) / "db.sqlite3"
            extract_db(wheel, db)
        else:
            db = args.source
        db_sha = sha256(db)
        total = count_distributions(db)
        provided = read_db(db)
    entries, stats, dropped, too_many = choose(provided, args.shared_limit, args.max_names)
    wheel_sha = sha256(wheel)
    built = args.built or datetime.datetime.fromtimestamp(
        int(os.environ.get("SOURCE_DATE_EPOCH", datetime.datetime.now().timestamp())),
        tz=datetime.timezone.utc,
    ).strftime("%Y-%m-%d")
    names = sum(len(v) for v in entries.values())

    header = [
        "# flake8-reqs: PyPI distributions whose import names the name guess gets wrong",
        "# format: 1",
        f"# source: pigar {version}",
        f"# source-wheel: {wheel.name}",
        f"# source-wheel-sha256: {wheel_sha}",
        f"# source-db-sha256: {db_sha}",
        "# licence: BSD-3-Clause (pigar's data), see pypi_import_names.NOTICE.md",
        f"# options: shared-limit={args.shared_limit} max-names={args.max_names}",
        f"# distributions: {len(entries)}",
        f"# names: {names}",
    ]
    lines = [f"{dist}\t{','.join(modules)}" for dist, modules in entries.items()]
    data = "\n".join(header + lines) + "\n"
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / DATA_NAME).write_bytes(data.encode("ascii"))
    notice = NOTICE.format(
        version=version,
        wheel=wheel.name,
        wheel_sha=wheel_sha,
        db_sha=db_sha,
        built=built,
        total=total,
        with_names=len(provided),
        kept=len(entries),
        names=names,
        guessed=stats["guessed"],
        no_name=stats["no usable name"],
        too_many=stats["too many names"],
        shared=stats["shared names dropped"],
        dropped=wrap(", ".join(f"`{name}`" for name in dropped)),
        too_many_list=wrap(", ".join(too_many)),
        shared_limit=args.shared_limit,
        max_names=args.max_names,
        junk=", ".join(sorted(JUNK)),
        roots=", ".join(sorted(NAMESPACE_ROOTS)),
        licence=licence.strip(),
    )
    (args.out_dir / NOTICE_NAME).write_text(notice, encoding="utf-8")
    print(
        f"pigar {version}: {total} distributions, {len(provided)} with usable names;"
        f" kept {len(entries)} ({names} names); {dict(stats)}"
    )
    return 0


NOTICE = """\
# pypi_import_names.txt: where it comes from

`pypi_import_names.txt` beside this file lists PyPI distributions with their top-level import
names, for the distributions whose names the name guess of
`flake8_reqs/declared/import_index.py` gets wrong. It is derived from the database that the
`pigar` distribution ships (`pigar/.db.sqlite3`), by `scripts/build_import_index.py`:

- pigar {version}, from the wheel `{wheel}` on PyPI
- the wheel's SHA-256: `{wheel_sha}`
- the database's SHA-256: `{db_sha}`
- built on {built}

To re-check it: `pip download --no-deps pigar=={version} -d /tmp/pigar`, compare the wheel's
SHA-256 with the one above, then `python scripts/build_import_index.py /tmp/pigar/{wheel}`
gives the same `pypi_import_names.txt`.

## What was kept

- pigar's database lists {total} distributions. Normalised as PEP 503 says (names that
  normalise alike merged), {with_names} of them have a usable top-level name: an ASCII
  identifier, not a keyword, not a dunder, and not one of {junk}.
- {shared} top-level names are left out of every entry: those that {shared_limit} or more
  distributions provide (namespace roots such as `google`, `azure`, `odoo`, and generic names
  such as `src`, `utils`, `app`), and the namespace roots {roots}. A top-level name of a
  namespace package does not say which part of it a distribution provides.
- {no_name} distributions have no name left; {too_many} have more than {max_names} names left
  (vendored copies, type stubs of whole SDKs, packaging mistakes) and are left out whole rather
  than cut, since an entry replaces the guess and a cut one would miss names. The
  cap is high enough for real many-module distributions (pywin32 keeps its 59 names).
- {guessed} distributions are left out because the guess gives all their names.
- {kept} distributions are kept, with {names} names in all; an entry lists all the kept names
  of its distribution, the guessable ones too.

## The names left out of every entry

{dropped}

## The distributions left out for having too many names

{too_many_list}

## pigar's licence

{licence}
"""


if __name__ == "__main__":
    raise SystemExit(main())
