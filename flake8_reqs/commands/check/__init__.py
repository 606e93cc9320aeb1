"""flake8-reqs check: findings over a whole project, REQ201, and the output formats."""
