"""framescope.corpus.progress: bars in terminals and notebooks, never in pipes, logs or tests."""
from __future__ import annotations

import io
import sys

import pytest

from framescope.corpus import progress as pg


@pytest.fixture(autouse=True)
def automatic(monkeypatch):
    monkeypatch.delenv("FRAMESCOPE_PROGRESS", raising=False)
    pg.set_progress(None)
    yield
    pg.set_progress(None)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_automatic_bar_on_a_terminal_only(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not pg.progress_enabled()
    assert list(pg.progress(range(3), desc="x")) == [0, 1, 2] and sys.stderr.getvalue() == ""
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert pg.progress_enabled()
    assert list(pg.progress(iter(range(4)), total=4, desc="counting")) == [0, 1, 2, 3]
    assert "counting:   0%" in terminal.getvalue() and "0/4" in terminal.getvalue()  # drawn, then cleared


def test_switches_win_over_the_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setenv("FRAMESCOPE_PROGRESS", "0")
    assert not pg.progress_enabled()
    monkeypatch.setenv("FRAMESCOPE_PROGRESS", "1")
    pg.set_progress(False)
    assert not pg.progress_enabled() and pg.progress_enabled(True)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    pg.set_progress(None)
    assert pg.progress_enabled()  # FRAMESCOPE_PROGRESS=1 even into a log file


def test_no_progress_option_is_passed_down(fakes_corpus, monkeypatch, capsys):
    from framescope.cli import main

    seen = []
    monkeypatch.setattr(pg, "set_progress", lambda value: seen.append(value))
    monkeypatch.setattr("framescope.cli.set_progress", pg.set_progress)
    assert main(["--no-progress", "info", str(fakes_corpus.path)]) == 0
    assert seen == [False, None]  # off for the command, automatic again afterwards
