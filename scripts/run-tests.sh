#!/usr/bin/env bash
# The test suite, in a virtual environment this script makes (.venv). Extra arguments go to pytest.
source "$(dirname "$0")/_venv.sh"
cd "$repo"
set +e
python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "run-tests: pytest collected no tests; that is a failure of the suite" >&2
  exit 1
fi
exit "$status"
