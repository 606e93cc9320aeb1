"""flake8-reqs fix: plan and write edits to a project's requirement sources."""
