# Sourced by the scripts in this folder: make .venv with the package and its test tools.
# Re-installs only when pyproject.toml changed since the last install.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$repo/.venv"
python=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
stamp="$venv/.installed-from"
if [ ! -f "$stamp" ] || ! cmp -s "$repo/pyproject.toml" "$stamp"; then
  echo "setting up $venv (once; the log is $venv/install.log)" >&2
  if ! "$venv/bin/python" -m pip install -e "$repo[test,lint]" >"$venv/install.log" 2>&1; then
    tail -n 30 "$venv/install.log" >&2
    echo "could not install flake8-reqs into $venv" >&2
    exit 1
  fi
  cp "$repo/pyproject.toml" "$stamp"
fi
export PATH="$venv/bin:$PATH"
