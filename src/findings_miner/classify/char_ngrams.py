"""Fast, exact equivalents of the model's two scikit-learn TF-IDF transforms.

Character n-gram TF-IDF computed word by word, with a cache of each word's n-grams.

scikit-learn's ``char_wb`` analyser builds every n-gram of every word in pure Python, on every call:
it was the largest single cost of ``classify``. ``char_wb`` n-grams never cross a word boundary, so a
text's n-gram counts are the sum of its words' n-gram counts, and a word's n-grams (already mapped
to vocabulary columns) can be cached: report prose repeats its words, so most lookups hit. The
result equals ``TfidfVectorizer(analyzer="char_wb", lowercase=True, sublinear_tf=True, norm="l2")``
on the same vocabulary and IDF weights (tested to float32 precision).

Word 1-2-gram TF-IDF (:class:`WordNgramEncoder`): scikit-learn builds a counter per document and
pays a Python exception for every n-gram outside the vocabulary (most bigrams); looking n-grams up
with ``dict.get`` and counting with one sparse sum gives the same matrix in about half the time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..errors import ModelError

#: words cached per encoder (about 20 MB at most); emptied when full (words are cheap to recompute)
MAX_CACHED_WORDS = 100_000


class CharWordGramEncoder:
    """Maps texts to the l2-normalised, sublinear TF-IDF of their in-word character n-grams."""

    def __init__(self, vocabulary: Mapping[str, int], idf: np.ndarray, ngram_range: tuple[int, int]) -> None:
        self.vocabulary = vocabulary  # shared with the vectoriser: the model checks identity to rebuild
        self.idf = np.asarray(idf, dtype=np.float32)
        self.min_n, self.max_n = ngram_range
        self._cache: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_vectorizer(cls, vectorizer) -> CharWordGramEncoder:
        """An encoder equal to a fitted ``char_wb`` ``TfidfVectorizer`` (lower-casing, sublinear tf, l2).

        Raises:
            ModelError: the vectoriser has settings this encoder does not reproduce.
        """
        _check_settings(vectorizer, "character", analyzer="char_wb")
        return cls(vectorizer.vocabulary_, vectorizer.idf_, tuple(vectorizer.ngram_range))

    def _word_columns(self, word: str) -> tuple[int, ...]:
        padded = f" {word} "
        length = len(padded)
        vocabulary = self.vocabulary
        columns: list[int] = []
        for n in range(self.min_n, self.max_n + 1):
            if length <= n:  # the whole padded word, once; no longer n-grams (scikit-learn's rule)
                gram = padded
                if gram in vocabulary:
                    columns.append(vocabulary[gram])
                break
            for offset in range(length - n + 1):
                column = vocabulary.get(padded[offset:offset + n])
                if column is not None:
                    columns.append(column)
        return tuple(columns)

    def transform(self, texts: Sequence[str]):
        """The TF-IDF matrix (``scipy.sparse.csr_matrix``, float32) of ``texts``."""
        cache = self._cache
        indices: list[int] = []
        indptr = [0]
        for text in texts:
            for word in text.lower().split():
                columns = cache.get(word)
                if columns is None:
                    if len(cache) >= MAX_CACHED_WORDS:  # bounded memory, whatever the batch size
                        cache.clear()
                    columns = cache[word] = self._word_columns(word)
                indices.extend(columns)
            indptr.append(len(indices))
        return _tfidf_rows(indices, indptr, len(self.idf), self.idf)


def _check_settings(vectorizer, kind: str, **specific) -> None:
    """Raise unless a fitted ``TfidfVectorizer`` has the settings the fast encoders reproduce.

    Raises:
        ModelError: some setting differs.
    """
    expected = {"lowercase": True, "strip_accents": None, "preprocessor": None, "binary": False,
                "sublinear_tf": True, "norm": "l2", "use_idf": True, **specific}
    params = vectorizer.get_params()
    different = {k: params.get(k) for k, v in expected.items() if params.get(k) != v}
    if different:
        raise ModelError(f"{kind} vectoriser settings not supported by the fast encoder: {different}")


def _tfidf_rows(indices: list[int], indptr: list[int], n_columns: int, idf: np.ndarray):
    """Counts given as column lists per row → l2-normalised sublinear TF-IDF (float32 CSR)."""
    from scipy.sparse import csr_matrix
    from sklearn.preprocessing import normalize

    index_array = np.asarray(indices, dtype=np.int32)
    matrix = csr_matrix((np.ones(len(index_array), dtype=np.float32), index_array,
                         np.asarray(indptr, dtype=np.int64)), shape=(len(indptr) - 1, n_columns))
    matrix.sum_duplicates()
    np.log(matrix.data, out=matrix.data)
    matrix.data += 1.0
    matrix.data *= idf[matrix.indices]
    return normalize(matrix, norm="l2", copy=False)


class WordNgramEncoder:
    """Maps texts to the l2-normalised, sublinear TF-IDF of their word n-grams (scikit-learn's
    ``analyzer="word"`` with a token pattern, lower-casing, no stop words)."""

    def __init__(self, vocabulary: Mapping[str, int], idf: np.ndarray, ngram_range: tuple[int, int],
                 token_pattern: str) -> None:
        import re

        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float32)
        self.min_n, self.max_n = ngram_range
        self.token_re = re.compile(token_pattern)
        if self.token_re.groups > 1:
            raise ModelError("token pattern with more than one capturing group")

    @classmethod
    def from_vectorizer(cls, vectorizer) -> WordNgramEncoder:
        """An encoder equal to a fitted word ``TfidfVectorizer``.

        Raises:
            ModelError: the vectoriser has settings this encoder does not reproduce.
        """
        _check_settings(vectorizer, "word", analyzer="word", tokenizer=None, stop_words=None)
        return cls(vectorizer.vocabulary_, vectorizer.idf_, tuple(vectorizer.ngram_range), vectorizer.token_pattern)

    def transform(self, texts: Sequence[str]):
        """The TF-IDF matrix (``scipy.sparse.csr_matrix``, float32) of ``texts``."""
        get = self.vocabulary.get
        findall = self.token_re.findall
        min_n, max_n = self.min_n, self.max_n
        indices: list[int] = []
        indptr = [0]
        for text in texts:
            tokens = findall(text.lower())
            count = len(tokens)
            for n in range(min_n, max_n + 1):
                grams = tokens if n == 1 else [" ".join(tokens[i:i + n]) for i in range(count - n + 1)]
                for gram in grams:
                    column = get(gram)
                    if column is not None:
                        indices.append(column)
            indptr.append(len(indices))
        return _tfidf_rows(indices, indptr, len(self.idf), self.idf)
