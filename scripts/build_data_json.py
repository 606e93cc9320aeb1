"""Write flake8_reqs/data/<name>.json, the form the tool reads, from each <name>.toml there.

    python scripts/build_data_json.py          # rewrite every .json from its .toml
    python scripts/build_data_json.py --check  # exit 1 if any .json differs from its .toml

The TOML files are the source: people edit them, and they keep the comments and the source
of every entry. Parsing TOML costs about 9 ms for module_map.toml and 18 ms for native.toml,
more than the rest of an editor run, and json.loads under a millisecond, so the wheel ships
both and flake8_reqs/data_files.py reads the JSON. tests/data/test_data_files.py fails when a
JSON file is not what its TOML file parses to. Standard library only (tomli before 3.11).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

DATA = Path(__file__).resolve().parent.parent / "flake8_reqs" / "data"


def as_json(toml_path: Path) -> str:
    """The JSON text for the TOML file at ``toml_path``: its tables in their order."""
    data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    # json.dumps raises TypeError on what JSON cannot hold (a TOML date): keep the data
    # to strings, numbers, booleans, arrays and tables.
    return json.dumps(data, indent=1, ensure_ascii=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 on a difference"
    )
    args = parser.parse_args(argv)
    differ = []
    for toml_path in sorted(DATA.glob("*.toml")):
        json_path = toml_path.with_suffix(".json")
        text = as_json(toml_path)
        current = json_path.read_text(encoding="utf-8") if json_path.exists() else None
        if current == text:
            continue
        differ.append(json_path.name)
        if not args.check:
            json_path.write_text(text, encoding="utf-8")
    if differ:
        verb = "differ from their TOML" if args.check else "written"
        print(f"{', '.join(differ)}: {verb}")
    return 1 if differ and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
