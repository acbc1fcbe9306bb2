import numpy as np
import pytest
import scipy.sparse as sp

from framescope.analysis.counts import (DocumentTermMatrix, Vocabulary, dispersion, dtm, encode, encode_sentences,
                             frequencies, group_labels)
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.tokens import tokens
from framescope.corpus.errors import FramescopeError
from stats_corpora import make_corpus, two_group_corpus


def test_vocabulary_sorted_by_lang_then_term_and_union():
    v, ids = Vocabulary.from_pairs(["en", "ar", "en", "en"], ["b", "x", "a", "b"])
    assert list(zip(v.langs, v.terms)) == [("ar", "x"), ("en", "a"), ("en", "b")]
    assert ids.tolist() == [2, 0, 1, 2]
    w = Vocabulary(["en", "en"], ["a", "c"])
    u, remaps = Vocabulary.union([v, w])
    assert list(u.terms) == ["x", "a", "b", "c"]
    assert remaps[0].tolist() == [0, 1, 2] and remaps[1].tolist() == [1, 3]
    assert u.lang_range("en") == (1, 4)


def test_same_word_in_two_languages_stays_two_terms():
    corpus = make_corpus([("d1", "body", "en", "Raqqa"), ("d1", "caption", "fr", "Raqqa")])
    m = dtm(corpus)
    assert list(zip(m.vocab.langs, m.vocab.terms)) == [("en", "raqqa"), ("fr", "raqqa")]
    assert m.matrix.toarray().tolist() == [[1, 1]]


def test_dtm_counts_and_batch_independence():
    corpus = two_group_corpus()
    m = dtm(corpus)
    frame = m.to_frame()
    # hand count: "aleppo" s1: title + body = 2, w1: 2; "terrorists" s1: 2, s2: 1
    got = {(d, t): c for d, t, c in zip(frame.doc_id, frame.term, frame["count"])}
    assert got[("s1", "aleppo")] == 2 and got[("w1", "aleppo")] == 2
    assert got[("s1", "terrorists")] == 2 and got[("s2", "terrorists")] == 1
    assert ("w2", "aleppo") not in got
    assert m.matrix.dtype == np.int64 and sp.isspmatrix_csr(m.matrix)
    one = dtm(corpus, batch_size=1)
    assert one.vocab == m.vocab and (one.matrix != m.matrix).nnz == 0
    assert list(one.doc_ids) == list(m.doc_ids) == ["s1", "s2", "w1", "w2"]
    assert one.metadata["n_tokens"] == m.metadata["n_tokens"] == int(m.matrix.sum())


def test_encode_arrays_respect_sentences():
    toks = tokens(two_group_corpus())
    enc = encode(toks)
    assert len(enc.ids) == toks.n_tokens()
    # sentence numbers never decrease and each sentence lies in one document
    assert np.all(np.diff(enc.sent) >= 0)
    assert np.all(enc.sent_doc[enc.sent] == enc.doc)
    assert [enc.vocab.terms[i] for i in enc.ids[:3]] == toks.docs[0][0]


def test_encode_sentences_stream_matches_encode():
    sents = [["a", "b"], ["c"], ["b", "a", "a"]]
    enc = encode_sentences(iter(sents), lang="en", chunk_tokens=2)
    assert list(enc.vocab.terms) == ["a", "b", "c"]
    assert enc.ids.tolist() == [0, 1, 2, 1, 0, 0]
    assert enc.sent.tolist() == [0, 0, 1, 2, 2, 2]


def test_dispersion_dp_hand_computed():
    # parts of 9 and 2 tokens (shares 9/11, 2/11)
    m = sp.csr_matrix(np.array([[2, 0, 9], [1, 2, 0]]))
    dp, dp_norm = dispersion(m, np.array([9, 2]))
    # term 0: ½(|2/3 − 9/11| + |1/3 − 2/11|) = 10/66
    assert dp[0] == pytest.approx(10 / 66)
    assert dp_norm[0] == pytest.approx((10 / 66) / (9 / 11))
    # term 1 only in the small part: ½(9/11 + 9/11) = 9/11, normalised: 1 (maximally uneven)
    assert dp[1] == pytest.approx(9 / 11)
    assert dp_norm[1] == pytest.approx(1.0)
    # term 2 only in the big part: ½(2/11 + 2/11) = 2/11
    assert dp[2] == pytest.approx(2 / 11)


def test_dispersion_even_term_is_zero_and_empty_parts_ignored():
    m = sp.csr_matrix(np.array([[1], [1], [0]]))
    dp, dp_norm = dispersion(m, np.array([5, 5, 0]))
    assert dp[0] == pytest.approx(0.0) and dp_norm[0] == pytest.approx(0.0)


def test_frequencies_by_group_hand_computed():
    corpus = two_group_corpus()
    table = frequencies(corpus, by="source_type", min_freq=1)
    assert list(table.columns) == ["group", "lang", "term", "freq", "per_million", "docs", "doc_share",
                                   "size", "n_docs", "dp", "dp_norm", "group_docs", "group_tokens", "small_group"]
    row = table[(table.group == "state_media") & (table.term == "terrorists")].iloc[0]
    # state_media English tokens: s1 "terrorists attack aleppo" + "terrorists shelled aleppo" + "army responded"
    # = 8; s2 "terrorists fired rockets" + "civilians killed" = 5 → size 13
    assert (row.freq, row["size"], row.docs, row.n_docs) == (3, 13, 2, 2)
    assert row.per_million == pytest.approx(3 / 13 * 1e6)
    # DP over s1 (8/13) and s2 (5/13): ½(|2/3 − 8/13| + |1/3 − 5/13|)
    assert row.dp == pytest.approx(0.5 * (abs(2 / 3 - 8 / 13) + abs(1 / 3 - 5 / 13)))
    ar = table[(table.group == "state_media") & (table.lang == "ar")]
    # token layer 2 splits the article off: التحالف and الرقه are counted as تحالف, رقه
    assert set(ar.term) == {"غارات", "تحالف", "رقه"} and set(ar["size"]) == {3}
    # a term of one group only is absent from the other group's rows
    assert table[(table.group == "wire") & (table.term == "terrorists")].empty
    assert table[(table.group == "wire") & (table.term == "rebels")].iloc[0].freq == 2


def test_group_labels_missing_and_expression():
    corpus = make_corpus([("a", "body", "en", "x"), ("b", "body", "en", "y")],
                         {"a": {"source_type": "wire"}, "b": {"source_type": None}})
    assert group_labels(corpus, "source_type").tolist() == ["wire", "(missing)"]
    assert group_labels(corpus, "source_type == 'wire'").tolist() == ["True", "False"]
    with pytest.raises(FramescopeError):
        group_labels(corpus, "no_such_column")


def test_encode_lines_equals_encode_sentences_of_split_lines():
    from framescope.analysis.counts import encode_lines
    text = ("  b a\tZ\r\n\nالتحالف ä  a é\n"  # leading blanks, tab, CRLF, empty line, Arabic, accents
            "x\x1fy\x1cb\n\n  \nb")  # str.split() separators inside the ASCII range; no final newline
    want = encode_sentences((line.split() for line in text.split("\n")), lang="ar")
    got = encode_lines(text.encode("utf-8"), lang="ar")
    assert list(got.vocab.terms) == list(want.vocab.terms) == sorted(set(text.split()))
    assert got.ids.tolist() == want.ids.tolist()
    assert got.sent.tolist() == want.sent.tolist() == [0, 0, 0, 2, 2, 2, 2, 3, 3, 3, 6]
    assert len(got.sent_doc) == len(want.sent_doc) == 7
    empty = encode_lines(b"", lang="en")
    assert len(empty.ids) == 0 and len(empty.vocab) == 0
    with pytest.raises(FramescopeError, match="not UTF-8"):
        encode_lines(b"ok \xff\xfe bad\n")


def test_encode_lines_by_chunks_of_a_file_or_bytes(tmp_path):
    """Chunks end at line ends, whatever their size: the same Encoded for every chunk size."""
    from framescope.analysis.counts import encode_lines
    lines = ["w%d x y" % i if i % 7 else " ".join(["long"] * 40) for i in range(200)] + ["", "tail z"]
    text = "\n".join(lines)  # no final newline
    path = tmp_path / "tokens.txt"
    path.write_text(text, encoding="utf-8")
    want = encode_sentences((line.split() for line in text.split("\n")), lang="en")
    for chunk, threads in ((1, 1), (5, 3), (64, 2), (1 << 20, None)):  # chunks hashed on threads
        for source in (path, text.encode("utf-8")):
            got = encode_lines(source, lang="en", chunk_bytes=chunk, threads=threads)
            assert got.vocab == want.vocab
            assert got.ids.tolist() == want.ids.tolist() and got.sent.tolist() == want.sent.tolist()
            assert len(got.sent_doc) == len(want.sent_doc) == 202
    with pytest.raises(FramescopeError, match="cannot read"):
        encode_lines(tmp_path / "absent.txt")
