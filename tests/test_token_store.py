"""Token store (issue 21 item 2), shipped sentence model (issue 15 item 6), surface forms (issue 17)."""
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from framescope.analysis.surface import add_surface, surface_forms
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.token_store import list_stores
from framescope.corpus import load
from framescope.corpus.errors import FramescopeError
from framescope.corpus.store import Corpus

import framescope.analysis.token_sentences as sentences
import framescope.analysis.token_store as token_store
import framescope.analysis.tokens as tok


@pytest.fixture
def corpus_dir(seeds_fakes_corpus, tmp_path):
    """A private copy of the seeds + FA-KES corpus folder (stores are written into it)."""
    return _private_copy(seeds_fakes_corpus, tmp_path / "corpus")


@pytest.fixture
def seeds_copy(seeds_corpus, tmp_path):
    """A private copy of the seed articles' corpus folder: for tests of the store's keys, which
    tokenise the corpus once per key (the seeds: a fraction of a second each)."""
    return _private_copy(seeds_corpus, tmp_path / "seeds")


def _same(a, b):
    assert a.doc_ids == b.doc_ids
    assert a.docs == b.docs
    assert a.sent_langs == b.sent_langs and a.sent_segs == b.sent_segs


def test_store_written_once_and_reused(corpus_dir, monkeypatch):
    corpus = load(corpus_dir)
    first = tok.tokens(corpus)
    assert first.store is not None and first.store.startswith(str(corpus_dir / "tokens"))
    stores = list_stores(corpus_dir, corpus.corpus_id)
    # the store holds every analysable document, duplicates included
    assert len(stores) == 1 and stores["n_tokens"].item() == tok.tokens(corpus, include_duplicates=True).n_tokens()

    def no_tokenising(*args, **kwargs):
        raise AssertionError("tokenised again instead of reading the store")

    monkeypatch.setattr(tok, "encode_store", no_tokenising)
    monkeypatch.setattr(tok, "tokenize_segments", no_tokenising)
    again = tok.tokens(load(corpus_dir))  # a new load, as another command would do
    assert again.store == first.store
    _same(first, again)
    assert sum(len(b) for b in tok.iter_tokens(corpus, batch_size=50)) == len(first)


def test_store_gives_the_tokens_of_fresh_tokenisation(corpus_dir):
    corpus = load(corpus_dir)
    state = corpus.subset("source_type == 'state_media'")
    state_fresh = tok.tokens(state)
    assert state_fresh.store is None  # a subset does not build the store (tokenised here)...
    whole_fresh = tok.tokens(corpus, store=False)
    _same(tok.tokens(corpus), whole_fresh)
    from_store = tok.tokens(state)  # ...but reads it once the whole corpus has been tokenised
    assert from_store.store is not None and 0 < len(from_store) < len(corpus.documents)
    _same(from_store, state_fresh)
    for lang in ("en", "ar"):
        _same(tok.tokens(corpus, lang=lang), tok.tokens(corpus, lang=lang, store=False))
    _same(tok.tokens(corpus, include_duplicates=True), tok.tokens(corpus, include_duplicates=True, store=False))
    stored = list(tok.iter_tokens(corpus, batch_size=64))
    fresh = list(tok.iter_tokens(corpus, batch_size=64, store=False))
    assert [b.doc_ids for b in stored] == [b.doc_ids for b in fresh]
    assert [b.docs for b in stored] == [b.docs for b in fresh]
    frame = tok.tokens(corpus).to_frame()
    assert frame.equals(whole_fresh.to_frame())


def test_store_invalidated_when_a_key_part_changes(seeds_copy, monkeypatch):
    corpus_dir = seeds_copy
    corpus = load(corpus_dir)
    default = tok.tokens(corpus)
    stemmed = tok.tokens(corpus, TokenOptions(stem=True))
    assert stemmed.store != default.store and stemmed.docs != default.docs
    # another corpus_id (the corpus was rebuilt from other inputs): another store
    manifest = json.loads((corpus_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["corpus_id"] = "0" * 16
    (corpus_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    rebuilt = tok.tokens(load(corpus_dir))
    assert rebuilt.store not in (default.store, stemmed.store)
    # a corpus changed in memory no longer matches its folder: tokenised here, nothing written
    assert tok.tokens(corpus).store is None
    # a new token layer: another store
    monkeypatch.setattr(token_store, "TOKEN_LAYER_VERSION", token_store.TOKEN_LAYER_VERSION + 1)
    assert tok.tokens(load(corpus_dir)).store != rebuilt.store
    assert len(list_stores(corpus_dir)) == 4


def test_store_never_overwrites_a_folder_it_did_not_write(corpus_dir):
    corpus = load(corpus_dir)
    key, _ = token_store.token_store_key(corpus.corpus_id, TokenOptions())
    foreign = corpus_dir / "tokens" / key
    foreign.mkdir(parents=True)
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FramescopeError, match="not a token store"):
        tok.tokens(corpus)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"
    # switched off: nothing read or written
    assert tok.tokens(corpus, store=False).store is None


def test_in_memory_corpus_is_tokenised_without_a_store():
    corpus = Corpus.from_frames(pd.DataFrame({"doc_id": ["a"], "lang": ["ar"]}),
                                pd.DataFrame({"doc_id": ["a"], "seg": [0], "role": ["body"], "lang": ["ar"],
                                              "text": ["قتل القتلى في الغارة. وصل القتلى والجرحى"]}))
    toks = tok.tokens(corpus)
    assert toks.store is None
    assert toks.docs[0] == [["قتل", "قتلي", "غاره"], ["وصل", "قتلي", "جرحي"]]
    forms = surface_forms(toks).set_index("term")
    assert forms.loc["قتلي", "surface"] == "القتلى" and forms.loc["قتلي", "n_forms"] == 1
    assert forms.loc["جرحي", "surface"] == "والجرحى"
    table = add_surface(pd.DataFrame({"lang": ["ar", "ar"], "term": ["قتلي", "غير_موجود"]}), toks)
    assert table["surface"].tolist() == ["القتلى", "غير موجود"]


def test_surface_forms_most_frequent_written_form(corpus_dir):
    corpus = load(corpus_dir)
    forms = surface_forms(corpus).set_index(["lang", "term"])
    assert forms.loc[("en", "ceasefire"), "surface"] == "ceasefire"
    assert forms.loc[("en", "ceasefire"), "n_forms"] == 2  # cease-fire counted with it
    assert forms.loc[("en", "u.s.-led"), "surface"] in {"us-led", "u.s.-led"}
    assert forms.loc[("en", "u.s.-led"), "n_forms"] == 2
    frame = add_surface(pd.DataFrame({"term": ["ceasefire"]}), forms.reset_index(), lang=None)
    assert frame["surface"].tolist() == ["ceasefire"]
    with pytest.raises(FramescopeError):
        add_surface(pd.DataFrame({"word": ["x"]}), forms.reset_index())


def test_sentence_model_shipped_and_independent_of_the_data_folder(tmp_path, monkeypatch):
    text = "The U.N. envoy met Gen. Smith in Damascus on Jan. 5. Then he left."
    before = sentences.split_sentences(text, "en")
    meta = token_store.token_metadata()
    assert meta["sentence_models"]["en"].startswith("punkt:en:fakes:v1:")
    assert meta["sentence_model_file"]["file"] == sentences.SENTENCE_MODEL_FILE
    assert meta["token_layer_version"] == token_store.TOKEN_LAYER_VERSION
    monkeypatch.setenv("FRAMESCOPE_DATA", str(tmp_path / "nowhere"))
    monkeypatch.setattr(sentences, "_MODELS", {})
    monkeypatch.setattr(sentences, "_MODEL_NAMES", {})
    assert sentences.split_sentences(text, "en") == before
    assert token_store.token_metadata()["sentence_models"] == meta["sentence_models"]


def test_cli_tokens_builds_and_lists(corpus_dir, capsys):
    from framescope.cli import main

    assert main(["tokens", str(corpus_dir), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert ": built;" in out and "tokens" in out and "running words per document" in out
    assert main(["tokens", str(corpus_dir), "--quiet"]) == 0
    assert "already built" in capsys.readouterr().out
    assert main(["tokens", str(corpus_dir), "--list"]) == 0
    assert "token_layer_version" in capsys.readouterr().out
    assert main(["tokens", str(corpus_dir / "missing")]) == 2


def test_store_filled_by_two_processes_is_the_store_of_one(seeds_fakes_corpus):
    """Issue 21: the store may be filled by worker processes; the arrays are the same."""
    import numpy as np

    one = tok.encode_store(seeds_fakes_corpus, TokenOptions(), "k", {}, processes=1)
    two = tok.encode_store(seeds_fakes_corpus, TokenOptions(), "k", {}, processes=2)
    assert len(one.token_ids) > 100_000 and len(one.doc_ids) > 700
    assert np.array_equal(one.token_ids, two.token_ids) and one.token_ids.dtype == two.token_ids.dtype
    assert one.vocab.tolist() == two.vocab.tolist() and one.doc_ids.tolist() == two.doc_ids.tolist()
    for name in ("segments", "sentences", "surfaces"):
        assert getattr(one, name).equals(getattr(two, name)), name
    assert one.meta["sentence_model_names"] == two.meta["sentence_model_names"]
    with pytest.raises(FramescopeError, match="processes"):
        tok.encode_store(seeds_fakes_corpus, TokenOptions(), "k", {}, processes=0)


def _sizes_by_tokenising(corpus, include_duplicates):
    from framescope.analysis.groups import SIZE_OPTIONS

    toks = tok.tokens(corpus, SIZE_OPTIONS, include_duplicates=include_duplicates, store=False)
    return pd.Series([len(t) for t in toks], index=pd.Index(toks.doc_ids, name="doc_id"), dtype="int64")


def _private_copy(corpus, folder):
    folder.mkdir()
    for name in ("documents.parquet", "segments.parquet", "manifest.json", "rejects.csv"):
        shutil.copy(corpus.path / name, folder / name)
    return folder


@pytest.mark.parametrize("which", ["seeds_fakes_corpus", "saudi_sample_corpus"])
def test_running_words_come_from_the_store_pass(which, request, tmp_path, monkeypatch):
    """Issue 21: group sizes (running words, SIZE_OPTIONS) are counted in the pass that fills the
    token store of the analyses' options, not by tokenising the corpus a second time; the
    numbers are those of a SIZE_OPTIONS tokenisation, English (possessives, variants) and
    Arabic (proclitics decided by the document's words) alike."""
    import framescope.analysis.groups as groups
    from framescope.report import ANALYSIS_OPTIONS

    folder = _private_copy(request.getfixturevalue(which), tmp_path / "corpus")
    corpus = load(folder)
    expected = {dup: _sizes_by_tokenising(corpus, dup) for dup in (False, True)}
    subset = corpus.subset(f"outlet == {corpus.documents['outlet'].mode()[0]!r}")
    assert 0 < len(subset.documents) < len(corpus.documents)
    tok.tokens(corpus, ANALYSIS_OPTIONS)  # the store of the analyses: stopwords, numbers, short words out
    meta = json.loads(next((folder / "tokens").glob("*/meta.json")).read_text(encoding="utf-8"))
    assert meta["document_sizes"] == groups.SIZE_OPTIONS.as_dict() and meta["store_format"] == token_store.STORE_FORMAT

    def no_tokenising(*args, **kwargs):
        raise AssertionError("tokenised a second time to count running words")

    monkeypatch.setattr(tok, "tokenize_segments", no_tokenising)
    monkeypatch.setattr(tok, "encode_store", no_tokenising)
    monkeypatch.setattr(groups, "SIZE_CACHE", {})
    for dup in (False, True):
        assert groups.document_sizes(corpus, include_duplicates=dup).equals(expected[dup])
        part = groups.document_sizes(subset, include_duplicates=dup)
        assert part.equals(expected[dup].reindex(subset.documents["doc_id"]).dropna().astype("int64"))
    assert len(list_stores(folder)) == 1  # no store of SIZE_OPTIONS was written


def test_running_words_of_other_options_and_stale_stores(saudi_sample_corpus, tmp_path, monkeypatch):
    """Any options that split words as SIZE_OPTIONS does carry the count (stemming, phrases and the
    filters change the store's tokens, not the running words); options that split otherwise
    (another Arabic normalisation) carry none and the sizes are tokenised; a store whose count
    was taken under other options, or made by another store format, is not read."""
    import framescope.analysis.groups as groups

    folder = _private_copy(saudi_sample_corpus, tmp_path / "corpus")
    corpus = load(folder)
    expected = _sizes_by_tokenising(corpus, True)
    options = TokenOptions(stem=True, min_length=3, phrases=("وزارة الداخلية",), arabic_min_stem=2)
    assert token_store.running_word_options(options) == groups.SIZE_OPTIONS
    assert token_store.running_word_options(TokenOptions(arabic_alef=False)) is None
    assert token_store.running_word_options(TokenOptions(credits=False)) is None
    tok.tokens(corpus, options)
    assert tok.stored_document_sizes(corpus).equals(expected)
    assert tok.stored_document_sizes(corpus, TokenOptions()) is None  # counted under SIZE_OPTIONS only
    # another store format: the store is not read (its key is no longer the one of its options)
    monkeypatch.setattr(token_store, "STORE_FORMAT", token_store.STORE_FORMAT + 1)
    assert tok.stored_document_sizes(corpus) is None
    monkeypatch.undo()
    # a count recorded under other options is not used
    meta_path = next((folder / "tokens").glob("*/meta.json"))
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["document_sizes"] = TokenOptions().as_dict()
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    assert tok.stored_document_sizes(corpus) is None
    shutil.rmtree(folder / "tokens")
    # options that normalise otherwise: no count in the store, the sizes are tokenised (same numbers)
    odd = tok.tokens(corpus, TokenOptions(arabic_alef=False))
    meta = json.loads((Path(odd.store) / "meta.json").read_text(encoding="utf-8"))
    assert meta["document_sizes"] is None and tok.stored_document_sizes(corpus) is None
    monkeypatch.setattr(groups, "SIZE_CACHE", {})
    assert groups.document_sizes(corpus, include_duplicates=True).equals(expected)
