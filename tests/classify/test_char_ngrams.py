"""The word-by-word character n-gram encoder must equal scikit-learn's char_wb TF-IDF."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from findings_miner.classify.char_ngrams import CharWordGramEncoder

TRAIN = [
    "300 police officers trained in victim identification.",
    "Økt bevissthet blant befolkningen om menneskehandel.",
    "Drift av krisesenter for kvinner og barn",
    "The project did not reach youth at risk; a b c",
    "Officers now apply the identification guidelines.",
]


@pytest.mark.parametrize("ngram_range", [(4, 4), (3, 5), (2, 2)])
def test_equals_sklearn_char_wb(ngram_range):
    vectorizer = TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=ngram_range,
                                 sublinear_tf=True, dtype=np.float32).fit(TRAIN)
    encoder = CharWordGramEncoder.from_vectorizer(vectorizer)
    texts = [*TRAIN, "", "a", "I  x\tyz Ø", "Trained trained TRAINED officers officers."]
    expected = vectorizer.transform(texts).toarray()
    got = encoder.transform(texts).toarray()
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)
    # a second call is served from the word cache and must give the same matrix
    np.testing.assert_array_equal(encoder.transform(texts).toarray(), got)


_VECTORIZER = TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True,
                              dtype=np.float32).fit(TRAIN)
_ENCODER = CharWordGramEncoder.from_vectorizer(_VECTORIZER)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abcdeføå ØÅ\t\n.-", max_size=40), min_size=1, max_size=5))
def test_equals_sklearn_on_arbitrary_text(texts):
    expected = _VECTORIZER.transform(texts).toarray()
    np.testing.assert_allclose(_ENCODER.transform(texts).toarray(), expected, rtol=1e-6, atol=1e-7)


_WORD_VECTORIZER = TfidfVectorizer(lowercase=True, ngram_range=(1, 2), min_df=1, sublinear_tf=True,
                                   token_pattern=r"(?u)\b\w[\w-]*\b|__cue_\w+__", dtype=np.float32).fit(
    [*TRAIN, "officers trained officers trained __cue_deliver__ well-being"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["officers ", "trained ", "Økt ", "a ", "-", "__cue_deliver__ ",
                                          "well-being ", ".", " ", "\n", "x"]), max_size=12).map("".join),
                min_size=1, max_size=5))
def test_word_encoder_equals_sklearn(texts):
    from findings_miner.classify.char_ngrams import WordNgramEncoder

    encoder = WordNgramEncoder.from_vectorizer(_WORD_VECTORIZER)
    np.testing.assert_allclose(encoder.transform(texts).toarray(), _WORD_VECTORIZER.transform(texts).toarray(),
                               rtol=1e-6, atol=1e-7)


def test_encoders_refuse_settings_they_do_not_reproduce():
    from findings_miner.classify.char_ngrams import WordNgramEncoder
    from findings_miner.errors import ModelError

    with pytest.raises(ModelError, match="not supported"):
        WordNgramEncoder.from_vectorizer(TfidfVectorizer(stop_words="english").fit(TRAIN))
    with pytest.raises(ModelError, match="not supported"):
        CharWordGramEncoder.from_vectorizer(TfidfVectorizer(analyzer="char").fit(TRAIN))
