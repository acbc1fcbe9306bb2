"""Corpus subcommands: build, info, demo."""
from __future__ import annotations


def add_commands(sub) -> None:  # filled in by the corpus layer
    pass
