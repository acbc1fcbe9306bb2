"""The command line talks: a misspelled language, column, query, option or subcommand
ends in one line naming what is available and the closest match (exit 2), never in an
empty table; small groups and a K at the edge of the grid get a warning; ``info`` prints
aligned tables and stops quietly when its reader goes away. On the built FA-KES corpus
(skipped without the shared data)."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from framescope.commands.topics import k_at_edge
from framescope.corpus.checks import check_corpus_arguments, closest, take_warnings
from framescope.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = [l for l in err.splitlines() if l.startswith("framescope")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("command", ["freq", "keyness"])
def test_language_name_instead_of_code_is_an_error_naming_the_codes(fakes_corpus, tmp_path, capsys, command):
    extra = ["--target", "source_type == 'state_media'", "--out", tmp_path / "k.csv"] if command == "keyness" else []
    code, out, err = run(capsys, command, fakes_corpus.path, "--lang", "english", *extra)
    line = one_error_line(err)
    assert code == 2 and out == "" and not (tmp_path / "k.csv").exists()
    assert "'english'" in line and "en (" in line and "did you mean 'en' (english)?" in line


def test_unknown_language_code_gets_the_closest_code(fakes_corpus, capsys):
    code, _, err = run(capsys, "freq", fakes_corpus.path, "--lang", "eng")
    assert code == 2 and "did you mean 'en'?" in one_error_line(err)
    code, _, err = run(capsys, "freq", fakes_corpus.path, "--lang", "french")
    assert code == 2 and "'french' is 'fr', which this corpus does not have" in one_error_line(err)


def test_kwic_of_an_absent_word_is_an_error(fakes_corpus, capsys):
    code, out, err = run(capsys, "kwic", fakes_corpus.path, "zzyzxqq")
    assert code == 2 and out == ""
    assert "'zzyzxqq' (word) does not occur in the corpus" in one_error_line(err)
    code, out, _ = run(capsys, "kwic", fakes_corpus.path, "coalition", "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 3


def test_misspelled_by_lists_the_real_columns(fakes_corpus, capsys):
    code, _, err = run(capsys, "freq", fakes_corpus.path, "--by", "sorce_type")
    line = one_error_line(err)
    assert code == 2 and "did you mean 'source_type'?" in line
    for column in ("outlet", "source_type", "collection", "date", "lang"):
        assert column in line
    code, _, err = run(capsys, "freq", fakes_corpus.path, "--by", "outlt == 'sana'")
    assert code == 2 and "no column 'outlt'; did you mean 'outlet'?" in one_error_line(err)


def test_misspelled_column_in_target_lists_the_columns(fakes_corpus, tmp_path, capsys):
    code, _, err = run(capsys, "keyness", fakes_corpus.path, "--target", "sourcetype == 'wire'",
                       "--out", tmp_path / "k.csv")
    line = one_error_line(err)
    assert code == 2 and "--target" in line and "did you mean 'source_type'?" in line and "outlet" in line
    code, _, err = run(capsys, "keyness", fakes_corpus.path, "--target", "source_type == 'wires'",
                       "--out", tmp_path / "k.csv")
    assert code == 2 and "selects no document" in one_error_line(err)


def test_misspelled_option_subcommand_and_choice_get_a_suggestion(fakes_corpus, capsys):
    code, _, err = run(capsys, "freq", fakes_corpus.path, "--lnag", "en")
    assert code == 2 and "unrecognized arguments: --lnag en (did you mean --lang?)" in err
    code, _, err = run(capsys, "kwik", fakes_corpus.path, "coalition")
    assert code == 2 and "invalid choice: 'kwik'" in err and "did you mean 'kwic'?" in err
    code, _, err = run(capsys, "freq", fakes_corpus.path, "--numbers", "kep")
    assert code == 2 and "did you mean 'keep'?" in err
    assert closest("--bootstarp", ["--bootstrap", "--by"]) == ["--bootstrap"]


def test_group_of_one_document_warns(fakes_corpus):
    one = fakes_corpus.documents["doc_id"].iloc[0]
    take_warnings()
    check_corpus_arguments(fakes_corpus.path, lang="en", by=f"doc_id == '{one}'")
    assert take_warnings() == ["group 'True' has only 1 document: its confidence interval is meaningless"]
    check_corpus_arguments(fakes_corpus.path, queries={"--target": f"doc_id == '{one}'"})
    assert "--target" in take_warnings()[0]
    check_corpus_arguments(fakes_corpus.path, lang="en", by="source_type")
    assert take_warnings() == []


def test_a_failing_command_says_only_its_error(fakes_corpus, tmp_path, capsys):
    one = fakes_corpus.documents["doc_id"].iloc[0]
    code, _, err = run(capsys, "actors", fakes_corpus.path, "--by", f"doc_id == '{one}'", "--lexicon",
                       tmp_path / "none.csv", "--out", tmp_path / "a.csv")
    assert code == 2 and "warning" not in err and "lexicon" in one_error_line(err)


def test_group_of_one_document_warns_in_the_cli(fakes_corpus, tmp_path, capsys):
    one = fakes_corpus.documents["doc_id"].iloc[0]
    code, _, err = run(capsys, "keyness", fakes_corpus.path, "--by", f"doc_id == '{one}'", "--lang", "en",
                       "--n-boot", "5", "--min-freq", "50", "--out", tmp_path / "k.csv")
    assert code == 0 and "framescope: warning: group 'True' has only 1 document" in err


def test_k_at_the_edge_of_the_grid_warns():
    assert "largest K searched (3, 5, 8)" in k_at_edge(8, [3, 5, 8]) and "larger" in k_at_edge(8, [3, 5, 8])
    assert "smallest" in k_at_edge(3, [5, 3, 8])
    assert k_at_edge(5, [3, 5, 8]) is None and k_at_edge(5, [5]) is None and k_at_edge(5, None) is None


def test_info_prints_an_aligned_table(fakes_corpus, capsys):
    code, out, _ = run(capsys, "info", fakes_corpus.path)
    assert code == 0 and "('" not in out
    lines = out.splitlines()
    i = lines.index("by outlet")
    header, rule = lines[i + 1], lines[i + 2]
    assert header.split() == ["outlet", "source", "type", "documents", "%"] and set(rule.split()) == {"-" * len(w) for w in rule.split()}
    rows = lines[i + 3:lines.index("", i)]
    docs = fakes_corpus.documents
    assert len(rows) == docs.groupby(["outlet", "source_type"]).ngroups
    # every row's columns start where the header's do
    starts = [header.index("source type"), header.index("documents")]
    for row in rows:
        assert row[starts[0] - 2:starts[0]] == "  " and row[starts[0]] != " "
        assert row[header.index("documents") + len("documents") - 1] != " "  # numbers right-aligned
    sana = next(r for r in rows if r.split()[0] == "sana")
    assert sana.split()[1] == "state_media" and int(sana.split()[2].replace(",", "")) == (docs["outlet"] == "sana").sum()


def test_info_into_a_closed_pipe_stops_without_a_traceback(fakes_corpus):
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from framescope.cli import main; sys.exit(main())",
                             "info", str(fakes_corpus.path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader stops before the first line, as `| head -0` would
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err and err == ""
    assert code == 141
