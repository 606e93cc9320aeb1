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
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -e "$repo[test,lint]"
  cp "$repo/pyproject.toml" "$stamp"
fi
export PATH="$venv/bin:$PATH"
