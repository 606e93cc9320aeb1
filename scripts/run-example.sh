#!/usr/bin/env bash
# Run flake8-reqs on the bundled example: the deploy that crashed on 'import magic'.
source "$(dirname "$0")/_venv.sh"
cd "$repo/examples/deploy-story"
echo "\$ flake8 --reqs-file requirements-prod.txt ." >&2
flake8 --reqs-file requirements-prod.txt . "$@"
