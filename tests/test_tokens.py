import pytest

from framescope.analysis.token_options import NUMBER_PLACEHOLDER, TokenOptions
from framescope.analysis.token_sentences import split_sentences, train_punkt
from framescope.analysis.token_words import strip_arabic_proclitics, tokenize
from framescope.analysis.tokens import Tokens, detect_phrases, tokens
from framescope.corpus.errors import FramescopeError
from stats_corpora import two_group_corpus

RAW = TokenOptions(stopwords=False, lowercase=False)


def test_english_keeps_hyphenated_words_abbreviations_and_numbers():
    assert tokenize("The U.S.-led coalition killed 1,139 civilians in al-Raqqa on 9/11.", "en", RAW) == [
        "The", "U.S.-led", "coalition", "killed", "1,139", "civilians", "in", "al-Raqqa", "on", "9/11"]
    # variants merged (token layer 2): US-led and U.S.-led are one term, the pronoun "us" is not
    assert tokenize("US-led strikes", "en") == ["u.s.-led", "strikes"]


def test_stopwords_lowercase_and_keep_words():
    assert tokenize("The coalition said it was the State", "en") == ["coalition"]
    assert tokenize("The coalition said it was the State", "en", TokenOptions(keep_words=("state",))) == [
        "coalition", "state"]
    assert tokenize("Killed", "en", TokenOptions(lowercase=False)) == ["Killed"]
    assert tokenize("strikes", "en", TokenOptions(extra_stopwords=("strikes",))) == []


def test_numbers_punctuation_min_length():
    text = "Strikes killed 62, (about 3.5%) in 2017!"
    assert tokenize(text, "en", TokenOptions(numbers="drop")) == ["strikes", "killed"]
    assert tokenize(text, "en", TokenOptions(numbers="placeholder")) == [
        "strikes", "killed", NUMBER_PLACEHOLDER, NUMBER_PLACEHOLDER, NUMBER_PLACEHOLDER]
    assert tokenize("Killed 62, ok.", "en", TokenOptions(punctuation=True, stopwords=False)) == [
        "killed", "62", ",", "ok", "."]
    assert tokenize("an ox killed", "en", TokenOptions(stopwords=False, min_length=3)) == ["killed"]


def test_english_stemming_snowball():
    assert tokenize("strikes killed civilians", "en", TokenOptions(stem=True)) == ["strike", "kill", "civilian"]


def test_arabic_normalisation_and_flags():
    text = "قُتِلَ ٢٠ مدنياً في غارةٍ للتحالف على الرقّة"
    assert tokenize(text, "ar", TokenOptions(stopwords=False, arabic_proclitics=False)) == [
        "قتل", "20", "مدنيا", "في", "غاره", "للتحالف", "علي", "الرقه"]
    kept = tokenize(text, "ar", TokenOptions(stopwords=False, arabic_taa_marbuta=False, arabic_digits=False))
    # proclitics split off by default: للتحالف → تحالف, الرقه → رقه
    assert tokenize(text, "ar", TokenOptions(stopwords=False)) == [
        "قتل", "20", "مدنيا", "في", "غاره", "تحالف", "علي", "رقه"]
    assert "غارة" in kept and "٢٠" in kept
    # without normalisation the diacritics stay inside the words (never split them)
    assert tokenize("قُتِلَ", "ar", TokenOptions(arabic_normalize=False, stopwords=False)) == ["قُتِلَ"]
    # Arabic stopwords are normalised like the text ("على" → "علي" still removed)
    assert "علي" not in tokenize(text, "ar")


def test_arabic_proclitics_conservative():
    assert strip_arabic_proclitics("والتحالف") == "تحالف"
    assert strip_arabic_proclitics("بالتحالف") == "تحالف"
    assert strip_arabic_proclitics("للتحالف") == "تحالف"
    assert strip_arabic_proclitics("وسوريا") == "سوريا"
    for word in ("وزير", "وزاره", "بريطانيا", "لبنان", "كتاب", "فيصل", "المانيا"):
        assert strip_arabic_proclitics(word) == word
    # token layer 2: a bare و/ب/ل goes when the stem is a word (the frequency check)
    assert strip_arabic_proclitics("وقال") == "قال"
    assert strip_arabic_proclitics("بغاره") == "غاره"
    assert tokenize("والتحالف وزير", "ar") == ["تحالف", "وزير"]
    assert tokenize("والتحالف وزير", "ar", TokenOptions(arabic_proclitics=False)) == ["والتحالف", "وزير"]


def test_arabic_isri_stemming():
    assert tokenize("التحالف", "ar", TokenOptions(stem=True)) == ["حلف"]


def test_phrases_english_and_arabic():
    opts = TokenOptions(phrases=("white phosphorus", "US-led coalition", "التحالف الدولي"), stem=True)
    assert tokenize("The US-led Coalition used White Phosphorus.", "en", opts) == [
        "us-led_coalition", "white_phosphorus"]
    assert tokenize("غارات التحالف الدولي", "ar", opts) == ["غار", "التحالف_الدولي"]
    with pytest.raises(FramescopeError):
        TokenOptions(phrases=("single",))


def test_options_validation_and_record():
    with pytest.raises(FramescopeError):
        TokenOptions(numbers="words")
    opts = TokenOptions(phrases=["a b"])
    assert opts.phrases == ("a b",)
    assert TokenOptions.from_dict(opts.as_dict()) == opts
    with pytest.raises(FramescopeError):
        TokenOptions.from_dict({"stemming": True})


def test_split_sentences_arabic_marks_and_newlines():
    text = "هل قصف التحالف المدينة؟ نعم. قتل عشرة!\nسطر جديد"
    assert split_sentences(text, "ar") == ["هل قصف التحالف المدينه؟", "نعم.", "قتل عشره!", "سطر جديد"]


def test_train_punkt_is_deterministic_and_learns_abbreviations():
    texts = ["The gen. said the U.N. team left. Another sentence here."] * 30
    m1 = train_punkt(texts, "en", register=False)
    m2 = train_punkt(texts, "en", register=False)
    text = "He met Gen. Smith in the U.S. yesterday. Then he left."
    assert m1.tokenize(text) == m2.tokenize(text) == ["He met Gen. Smith in the U.S. yesterday.", "Then he left."]


def test_tokens_over_corpus_languages_roles_duplicates():
    corpus = two_group_corpus()
    toks = tokens(corpus)
    assert isinstance(toks, Tokens)
    assert toks.doc_ids == ["s1", "s2", "w1", "w2"]  # w3 is a duplicate
    assert "subscribe" not in [t for doc in toks for t in doc]  # boilerplate never read
    assert toks.sent_langs[0] == ["en", "en", "en", "ar"]
    assert toks.docs[0][3] == ["غارات", "تحالف", "رقه"]  # article split off (token layer 2)
    frame = toks.to_frame()
    assert list(frame.columns) == ["doc_id", "seg", "sent", "pos", "lang", "token"]
    assert frame[frame["lang"] == "ar"]["token"].tolist() == ["غارات", "تحالف", "رقه"]
    assert len(frame) == toks.n_tokens() == sum(len(s) for s in toks.sentences())
    with_dups = tokens(corpus, include_duplicates=True)
    assert with_dups.doc_ids[-1] == "w3"
    only_ar = tokens(corpus, lang="ar")
    assert only_ar.doc_ids == ["s1"] and only_ar.sent_langs == [["ar"]]
    assert toks.metadata()["token_options"]["stopwords"] is True


def test_detect_phrases_npmi():
    sents = [["white", "phosphorus", "used"], ["white", "phosphorus", "shells"], ["army", "used", "shells"]] * 4
    found = detect_phrases(sents, min_count=3, threshold=0.5)
    assert "white phosphorus" in found
    assert detect_phrases(sents, min_count=3, threshold=0.5) == found
