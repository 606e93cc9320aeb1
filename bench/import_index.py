"""Measure the bundled import-name index: counts, size on disk and in a wheel, look-up time.

    python bench/import_index.py            # counts, sizes, timings
    python bench/import_index.py --wheel    # also build a wheel of a copy of the checkout

Cold: a fresh Python process (bare, and after importing flake8, as when the plugin runs)
imports ``flake8_reqs.declared.import_index`` and looks up 50 declared distributions, timed
inside the process from before the import to after the look-up (interpreter start-up
excluded); the file is in the OS page cache after the first run, as it is for an editor's or
pre-commit's repeated runs. Warm: the same look-up again in one process. Each figure is the
median of the runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "flake8_reqs" / "data" / "pypi_import_names.txt"

# 50 distributions a service might declare: well-known ones (mostly guessable, so absent from
# the index), long-tail ones the index holds, and a few no data knows.
NAMES = [
    "requests", "numpy", "pandas", "pillow", "scikit-learn", "scipy", "matplotlib", "flask",
    "django", "sqlalchemy", "psycopg2-binary", "pyyaml", "python-dateutil", "pytz", "boto3",
    "beautifulsoup4", "lxml", "jinja2", "click", "attrs", "pydantic", "fastapi", "uvicorn",
    "gunicorn", "celery", "redis", "pymongo", "mysqlclient", "pycryptodome", "pyjwt",
    "opencv-python", "scikit-image", "scikit-fuzzy", "fusepy", "pyserial", "pyusb", "pyzmq",
    "pynacl", "pyopenssl", "google-api-python-client", "protobuf", "grpcio", "typing-extensions",
    "python-magic", "py-cpuinfo", "wxpython", "torch", "no-such-dist-a", "no-such-dist-b",
    "no-such-dist-c",
]  # fmt: skip

COLD = """
{prelude}
import time
t0 = time.perf_counter()
from flake8_reqs.declared.import_index import indexed_import_names
t1 = time.perf_counter()
found = indexed_import_names({names!r})
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, len(found))
"""

# A bare interpreter pays for importing importlib.resources (and pathlib, zipfile, tempfile
# that it pulls in) inside the first look-up; under flake8, the plugin's context, flake8 has
# already imported them.
CONTEXTS = {
    "bare interpreter": "",
    "after flake8 is imported": "import flake8.main.cli",
}

WARM = """
import time
from flake8_reqs.declared.import_index import indexed_import_names
names = {names!r}
indexed_import_names(names)
runs = []
for _ in range(200):
    t0 = time.perf_counter()
    indexed_import_names(names)
    runs.append(time.perf_counter() - t0)
runs.sort()
print(runs[len(runs) // 2])
"""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def header() -> dict[str, str]:
    fields = {}
    with DATA.open("rb") as stream:
        for raw in stream:
            if not raw.startswith(b"#"):
                break
            key, _, value = raw[1:].decode().partition(":")
            fields[key.strip()] = value.strip()
    return fields


def cold(runs: int, prelude: str) -> tuple[float, float, int]:
    imports, lookups, found = [], [], 0
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", COLD.format(names=NAMES, prelude=prelude)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        imports.append(float(out[0]))
        lookups.append(float(out[1]))
        found = int(out[2])
    return statistics.median(imports), statistics.median(lookups), found


def warm() -> float:
    out = subprocess.run(
        [sys.executable, "-c", WARM.format(names=NAMES)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(out)


def wheel_sizes() -> tuple[int, int, int]:
    """The wheel's size, and the data file's compressed size in it, from a copy of the checkout."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "src"
        files = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.split()
        for name in files:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
        out = Path(tmp) / "dist"
        subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)],
            check=True,
            capture_output=True,
        )
        (wheel,) = out.glob("*.whl")
        with zipfile.ZipFile(wheel) as archive:
            info = archive.getinfo("flake8_reqs/data/pypi_import_names.txt")
            notice = archive.getinfo("flake8_reqs/data/pypi_import_names.NOTICE.md")
            return wheel.stat().st_size, info.compress_size, notice.compress_size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wheel", action="store_true", help="build a wheel to measure it")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    fields = header()
    raw = DATA.read_bytes()
    print(f"python: {sys.version.split()[0]}")
    print(f"source: {fields['source']}")
    print(f"distributions kept: {fields['distributions']} ({fields['names']} names)")
    print(f"file on disk: {len(raw)} bytes")
    print(f"deflate level 6 (as in a wheel): {len(zlib.compress(raw, 6))} bytes")
    if args.wheel:
        total, data, notice = wheel_sizes()
        print(f"wheel: {total} bytes; data file in it {data}, NOTICE {notice} bytes compressed")
    for context, prelude in CONTEXTS.items():
        imported, looked_up, found = cold(args.runs, prelude)
        print(f"cold, {context}: {len(NAMES)} names, {found} found (median of {args.runs}):")
        print(f"  import of the module {ms(imported)}, look-up {ms(looked_up)}")
    print(f"warm look-up of the same {len(NAMES)} names (median of 200): {ms(warm())}")


if __name__ == "__main__":
    main()
