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
