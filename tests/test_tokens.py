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


# --- the per-word rules give the tokens of the straightforward per-token rules (issue 21) ----------
#
# token_words applies the rules once per distinct word and keeps the answer; the reference below
# applies them token by token, as the token layer was first written (and as docs/tokens.md
# describes the order). Same text, same options: same tokens and same surface forms.

def _reference_context(sentences, options):
    from framescope.analysis.token_words import DocContext, arabic_forms, norm_flags

    lexicon, capitalised = set(), set()
    for key, raw in sentences:
        if key == "ar":
            lexicon.update(arabic_forms(t, norm_flags(options))[1] for t in raw)
        else:
            capitalised.update(raw[i] for i in range(1, len(raw))
                               if raw[i][:1].isupper() and raw[i - 1][:1].islower())
    return DocContext(frozenset(lexicon), frozenset(capitalised))


def _reference_phrases(words, lang, options):
    """(joined words, is_phrase, words per joined token), longest phrase first, case-insensitive."""
    from framescope.analysis.token_options import PHRASE_JOINER
    from framescope.analysis.token_sentences import prepare_text
    from framescope.analysis.token_words import raw_tokens
    from framescope.corpus.text import dominant_script

    entries = []
    for phrase in options.phrases:
        arabic = dominant_script(phrase) == "Arabic"
        if arabic != (lang == "ar"):
            continue
        ws = [w for w in raw_tokens(prepare_text(phrase, arabic, options), lang) if any(c.isalnum() for c in w)]
        if len(ws) >= 2:
            entries.append(([w.casefold() for w in ws], PHRASE_JOINER.join(w.lower() if options.lowercase else w
                                                                            for w in ws)))
    entries.sort(key=lambda e: -len(e[0]))
    out, flags, widths, i = [], [], [], 0
    folded = [w.casefold() for w in words]
    while i < len(words):
        for key, joined in entries:
            if folded[i:i + len(key)] == key:
                out.append(joined), flags.append(True), widths.append(len(key))
                i += len(key)
                break
        else:
            out.append(words[i]), flags.append(False), widths.append(1)
            i += 1
    return out, flags, widths


def _reference_filter(raw, lang, options, context):
    """(token, surface) pairs of one sentence, token by token."""
    import re

    from framescope.analysis.arabic_clitics import segment
    from framescope.analysis.token_options import NUMBER_PLACEHOLDER
    from framescope.analysis.token_rules import KNOWN_NAMES, canonical_variant, possessive_base
    from framescope.analysis.token_words import arabic_forms, norm_flags, stem_word, stopword_set

    marks = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
    wordchar = re.compile(rf"[\w{marks}]")
    number = re.compile(r"^\d+(?:[.,:/\u066b\u066c]\d+)*$")
    arabic = lang == "ar"
    if arabic:
        forms = [arabic_forms(t, norm_flags(options)) for t in raw]
        surfaces, words = [f[0] for f in forms], [f[1] for f in forms]
    else:
        words = list(raw)
        if lang == "en" and options.possessives:
            names = context.capitalised | KNOWN_NAMES
            for i, tok in enumerate(raw):
                if len(tok) > 2 and tok.lower().endswith(("'s", "\u2019s")) and wordchar.search(tok[:-2]):
                    words[i] = tok[:-2]
                    continue
                nxt = raw[i + 1] if i + 1 < len(raw) else ""
                base = possessive_base(tok, bool(wordchar.search(nxt)), names)
                words[i] = base if base is not None else tok
        surfaces = [w.lower() for w in words]
    flags = [False] * len(words)
    if options.phrases:
        joined, flags, widths = _reference_phrases(words, lang, options)
        starts = [sum(widths[:k]) for k in range(len(widths))]
        surfaces = [" ".join(surfaces[s:s + w]) for s, w in zip(starts, widths)]
        words = joined
    stops = stopword_set(lang, options) if (options.stopwords or options.extra_stopwords) else frozenset()
    lexicon = context.lexicon
    out = []
    for tok, surface, phrase in zip(words, surfaces, flags):
        if phrase:
            out.append((tok, surface))
            continue
        if not wordchar.search(tok):
            if options.punctuation:
                out.append((tok, surface))
            continue
        if number.match(tok):
            if options.numbers != "drop":
                out.append((tok if options.numbers == "keep" else NUMBER_PLACEHOLDER, surface))
            continue
        low = tok.lower()
        if lang == "en" and options.merge_variants and options.lowercase:
            tok = low = canonical_variant(tok)
        elif options.lowercase:
            tok = low
        if low in stops:
            continue
        if arabic and options.arabic_proclitics:
            clitics, stem = segment(tok, lexicon, options.arabic_min_stem, surface, stops)
            if clitics and stem in stops:
                continue
            tok = stem if clitics else tok
        if options.stem:
            tok = stem_word(lang, tok)
        if len(tok) >= options.min_length:
            out.append((tok, surface))
    return out


_OPTION_SETS = [
    TokenOptions(),
    TokenOptions(numbers="drop", min_length=2),  # the demo's and the notebooks' options
    TokenOptions(stem=True, numbers="placeholder", punctuation=True, keep_words=("state", "us")),
    TokenOptions(lowercase=False, merge_variants=False, possessives=False, stopwords=False, min_length=3),
    TokenOptions(phrases=("white phosphorus", "US-led coalition", "Islamic State", "التحالف الدولي", "وكالة الأنباء"),
                 extra_stopwords=("said",)),
    TokenOptions(arabic_normalize=False, arabic_min_stem=2, credits=False),
    TokenOptions(arabic_proclitics=False, arabic_alef=False, arabic_digits=False),
]


@pytest.mark.parametrize("which", ["seeds_fakes_corpus", "saudi_sample_corpus"])
def test_per_word_rules_give_the_per_token_reference_tokens(which, request):
    from collections import Counter

    from framescope.analysis.tokens import ordered_segments, raw_sentences, tokenize_segments

    corpus = request.getfixturevalue(which)
    segs = ordered_segments(corpus, include_duplicates=True, lang=None)
    doc_ids_all = segs["doc_id"].unique()
    for k, options in enumerate(_OPTION_SETS):
        # 240 documents under the defaults, 60 others under each other option set
        chosen = doc_ids_all[::3][:240] if k == 0 else doc_ids_all[k::11][:60]
        part = segs[segs["doc_id"].isin(set(chosen))]
        by_doc = dict(list(part.groupby("doc_id", sort=False)))
        surfaces: dict = {}
        doc_ids, docs, _, _, _ = tokenize_segments(part, options, surfaces)
        expected_surfaces: Counter = Counter()
        n_tokens = 0
        for doc_id, doc in zip(doc_ids, docs):
            rows = by_doc[doc_id]
            sentences = [s for text, lang, seg in zip(rows["text"], rows["lang"], rows["seg"])
                         for s in raw_sentences(text, lang, seg, options)]
            context = _reference_context([(key, raw) for key, _, _, raw in sentences], options)
            expected = [_reference_filter(raw, key, options, context) for key, _, _, raw in sentences]
            assert doc == [[t for t, _ in pairs] for pairs in expected], (options, doc_id)
            expected_surfaces.update((lang, t, w) for (_, lang, _, _), pairs in zip(sentences, expected)
                                     for t, w in pairs)
            n_tokens += sum(map(len, doc))
        got = Counter({(lang, t, w): n for lang, counter in surfaces.items() for (t, w), n in counter.items()})
        assert got == expected_surfaces, options
        assert n_tokens > (20_000 if k == 0 else 2_000)
