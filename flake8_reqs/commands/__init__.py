"""The flake8-reqs command and its subcommands; they use the plugin's layers, never the reverse."""
