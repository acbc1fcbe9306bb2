"""``framescope`` subcommands: one module per stage, each with ``add_commands(subparsers)``."""
