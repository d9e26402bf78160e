"""The results-chain classifier: TF-IDF word and character n-grams plus linguistic cues, one
multinomial logistic regression per head (level, learning, status), temperature-calibrated.

Chosen by measurement (``benchmarks/model_selection.py``, 3-fold cross-validation on the training
part of the corpus): word + character n-grams + cues beat plain word TF-IDF, word + cues, word +
affixes, a spaCy bag-of-words text classifier and multilingual e5 embeddings alone on every head;
e5 embeddings *appended* to these features (``sentence_embeddings="e5-small"``) beat it on every head
at about 1/300 of its speed, so they are an option (``models/results_chain_e5``), not the default.
Character 4-grams alone score within 0.005 macro-F1 of 2-5-grams and 3-4-grams and make
``classify`` 1.2-2x faster (6,000 vs 4,900 passages/s on one core), which the speed goal needs. Character n-grams carry Norwegian compounds
(``menneskehandelsprosjekter``) that word features miss.

Opening-word features (a passage's first word and first two words) add 0.004-0.008 level
macro-F1 on written and real passages in the same cross-validation (folds by IATI activity).

Models are saved as JSON (vocabularies, IDF weights, parameters) and NumPy ``.npz`` arrays loaded
with ``allow_pickle=False``: loading a model never executes code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..corpus import LEARNING, LEVELS, STATUSES
from ..errors import ModelError
from .char_ngrams import CharWordGramEncoder, WordNgramEncoder
from .features import cue_tokens, find_cues

logger = logging.getLogger(__name__)

HEADS: dict[str, tuple[str, ...]] = {"level": LEVELS, "learning": LEARNING, "status": STATUSES}
FORMAT_VERSION = 1
_WORD_TOKEN_PATTERN = r"(?u)\b\w[\w-]*\b|__cue_\w+__"


def _word_text(text: str, cues: Sequence[str] | None = None) -> str:
    if cues is None:
        return f"{text} {cue_tokens(text)}"
    return text + "".join(f" __cue_{name}__" for name in cues)


_OPENING_WORD_RE = re.compile(r"[^\W\d_]+")


def opening_tokens(text: str) -> str:
    """Pseudo-words for how a passage opens: its first word and first two words (letters only)."""
    words = []
    for match in _OPENING_WORD_RE.finditer(text):
        words.append(match.group().lower())
        if len(words) == 2:
            break
    if not words:
        return ""
    tokens = f" __first_{words[0]}__"
    return tokens + (f" __first2_{words[0]}_{words[1]}__" if len(words) == 2 else "")


class ResultsChainClassifier:
    """Three heads over one feature space: ``level``, ``learning`` and ``status``.

    Parameters are set only in ``__init__``; fitted attributes end in ``_`` (scikit-learn style).

    Args:
        word_ngrams: n-gram range of the word vectoriser (cue pseudo-words included).
        char_ngrams: n-gram range of the ``char_wb`` vectoriser; ``None`` disables it.
        max_word_features / max_char_features: vocabulary caps (by corpus frequency).
        C: inverse regularisation strength of the logistic regressions.
        class_weight: ``"balanced"`` or ``None``.
        use_cues: append cue pseudo-words to the word features.
        opening_words: add the passage's first word and first two words as features
            (``__first_number__``, ``__first2_number_of__``): how a passage opens says much about
            its form — an indicator, an infinitive plan, a process-noun fragment.
        affixes: add prefix/suffix features of long words (a cheap stand-in for character
            n-grams that still sees into Norwegian compounds).
        sentence_embeddings: name of a sentence embedder (``"e5-small"``, from the optional
            ``findings-miner[embeddings]`` extra) whose L2-normalised vectors are appended as a
            dense feature block; ``None`` (default) keeps the model n-gram only and fast.
        embedding_weight: scale of that block next to the unit-length TF-IDF blocks.
        random_state: seed for the solver (lbfgs is deterministic; kept for completeness).
    """

    def __init__(
        self,
        *,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] | None = (4, 4),
        max_word_features: int = 60_000,
        max_char_features: int = 120_000,
        C: float = 8.0,
        class_weight: str | None = "balanced",
        use_cues: bool = True,
        opening_words: bool = True,
        affixes: bool = False,
        sentence_embeddings: str | None = None,
        embedding_weight: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.C = C
        self.class_weight = class_weight
        self.use_cues = use_cues
        self.opening_words = opening_words
        self.affixes = affixes
        self.sentence_embeddings = sentence_embeddings
        self.embedding_weight = embedding_weight
        self.random_state = random_state

    # -- features ---------------------------------------------------------------------------

    def _make_vectorizers(self):
        from sklearn.feature_extraction.text import TfidfVectorizer

        word = TfidfVectorizer(lowercase=True, ngram_range=tuple(self.word_ngrams), min_df=2,
                               max_features=self.max_word_features, sublinear_tf=True,
                               token_pattern=_WORD_TOKEN_PATTERN, dtype=np.float32)
        char = None
        if self.char_ngrams:
            char = TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=tuple(self.char_ngrams),
                                   min_df=2, max_features=self.max_char_features, sublinear_tf=True,
                                   dtype=np.float32)
        affix = None
        if self.affixes:
            affix = TfidfVectorizer(lowercase=False, token_pattern=r"\S+", min_df=2, sublinear_tf=True,
                                    dtype=np.float32)
        return word, char, affix

    def _word_inputs(self, texts: Sequence[str], cue_lists: Sequence[Sequence[str]] | None = None) -> list[str]:
        inputs = list(texts)
        if self.use_cues:
            if cue_lists is None:
                cue_lists = [find_cues(t) for t in texts]
            inputs = [_word_text(t, c) for t, c in zip(inputs, cue_lists, strict=True)]
        if getattr(self, "opening_words", False):
            inputs = [f"{i}{opening_tokens(t)}" for i, t in zip(inputs, texts, strict=True)]
        return inputs

    def transform(self, texts: Sequence[str], cue_lists: Sequence[Sequence[str]] | None = None):
        """The sparse feature matrix of some texts (word + char blocks)."""
        from scipy.sparse import hstack

        self._check_fitted()
        blocks = [self._word_encoder().transform(self._word_inputs(texts, cue_lists))]
        if self.char_vectorizer_ is not None:
            blocks.append(self._char_encoder().transform(texts))
        if getattr(self, "affix_vectorizer_", None) is not None:
            blocks.append(self.affix_vectorizer_.transform([affix_text(t) for t in texts]))
        if getattr(self, "sentence_embeddings", None):
            from scipy.sparse import csr_matrix

            from .embeddings import get_embedder

            vectors = get_embedder(self.sentence_embeddings).embed(list(texts))
            blocks.append(csr_matrix(vectors * np.float32(self.embedding_weight)))
        return hstack(blocks, format="csr") if len(blocks) > 1 else blocks[0]

    def _word_encoder(self) -> WordNgramEncoder:
        """The fast equivalent of the fitted word vectoriser."""
        return self._cached_encoder("_word_encoder_cache", WordNgramEncoder, self.word_vectorizer_)

    def _char_encoder(self) -> CharWordGramEncoder:
        """The cached word-by-word equivalent of the fitted character vectoriser."""
        return self._cached_encoder("_char_encoder_cache", CharWordGramEncoder, self.char_vectorizer_)

    def _cached_encoder(self, attribute: str, encoder_class, vectorizer):
        """An encoder built from ``vectorizer`` once, rebuilt when the vectoriser is refitted."""
        encoder = getattr(self, attribute, None)
        if encoder is None or encoder.vocabulary is not vectorizer.vocabulary_:
            encoder = encoder_class.from_vectorizer(vectorizer)
            setattr(self, attribute, encoder)
        return encoder

    # -- fitting ----------------------------------------------------------------------------

    def fit(self, texts: Sequence[str], labels: Mapping[str, Sequence[str | None]],
            sample_weight: Mapping[str, Sequence[float]] | None = None) -> ResultsChainClassifier:
        """Fit the vectorisers on all texts and each head on the rows that carry its label.

        Args:
            texts: passages.
            labels: head name → label per text (``None`` where a source has no label for that head,
                e.g. IATI rows have a level but no learning tag).
            sample_weight: optional head name → weight per text (weak sources weigh less).
        """
        from sklearn.linear_model import LogisticRegression

        texts = list(texts)
        word, char, affix = self._make_vectorizers()
        word.fit(self._word_inputs(texts))
        if char is not None:
            char.fit(texts)
        if affix is not None:
            affix.fit([affix_text(t) for t in texts])
        self.word_vectorizer_, self.char_vectorizer_, self.affix_vectorizer_ = word, char, affix
        features = self.transform(texts)
        self.coef_: dict[str, np.ndarray] = {}
        self.intercept_: dict[str, np.ndarray] = {}
        self.classes_: dict[str, tuple[str, ...]] = {}
        self.temperature_: dict[str, float] = {}
        for head, classes in HEADS.items():
            column = labels.get(head)
            if column is None:
                continue
            head_weights = sample_weight.get(head) if sample_weight is not None else None
            # rows without a label, or weighing 0 for this head, are left out (also from the
            # balanced class weights, which count rows)
            rows = [i for i, y in enumerate(column)
                    if y is not None and (head_weights is None or head_weights[i] > 0)]
            y = np.array([column[i] for i in rows])
            weights = None if head_weights is None else np.asarray(head_weights, dtype=float)[rows]
            model = LogisticRegression(C=self.C, max_iter=2000, class_weight=self.class_weight,
                                       random_state=self.random_state)
            model.fit(features[rows], y, sample_weight=weights)
            order = [list(model.classes_).index(c) for c in classes if c in model.classes_]
            missing = [c for c in classes if c not in model.classes_]
            if missing:
                raise ModelError(f"head {head!r}: no training examples for {missing}")
            self.classes_[head] = classes
            self.coef_[head] = model.coef_[order].astype(np.float32)
            self.intercept_[head] = model.intercept_[order].astype(np.float32)
            self.temperature_[head] = 1.0
        return self

    def calibrate(self, logits: Mapping[str, np.ndarray], labels: Mapping[str, Sequence[str]]) -> ResultsChainClassifier:
        """Fit one temperature per head on held-out logits (minimises negative log-likelihood)."""
        from scipy.optimize import minimize_scalar

        for head, head_logits in logits.items():
            classes = self.classes_[head]
            y = np.array([classes.index(label) for label in labels[head]])

            def nll(log_t: float, head_logits=head_logits, y=y) -> float:
                z = head_logits / np.exp(log_t)
                z = z - z.max(axis=1, keepdims=True)
                log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
                return float(-log_p[np.arange(len(y)), y].mean())

            result = minimize_scalar(nll, bounds=(-3, 3), method="bounded")
            self.temperature_[head] = float(np.exp(result.x))
        return self

    # -- prediction -------------------------------------------------------------------------

    def decision_function(self, texts: Sequence[str], features=None) -> dict[str, np.ndarray]:
        """Raw logits per head (before temperature)."""
        features = self.transform(texts) if features is None else features
        return {head: np.asarray(features @ self.coef_[head].T) + self.intercept_[head] for head in self.coef_}

    def predict_proba(self, texts: Sequence[str], features=None) -> dict[str, np.ndarray]:
        """Calibrated probabilities per head, columns in ``classes_[head]`` order."""
        probabilities = {}
        for head, logits in self.decision_function(texts, features).items():
            z = logits / self.temperature_[head]
            z = z - z.max(axis=1, keepdims=True)
            p = np.exp(z)
            probabilities[head] = p / p.sum(axis=1, keepdims=True)
        return probabilities

    def predict(self, texts: Sequence[str]) -> dict[str, list[str]]:
        return {head: [self.classes_[head][i] for i in p.argmax(axis=1)]
                for head, p in self.predict_proba(texts).items()}

    def top_contributions(self, features, predicted: Mapping[str, np.ndarray], k: int = 3) -> list[list[str]]:
        """Per row, the ``k`` word features (n-grams, cues) that most raised its predicted labels.

        Vectorised over all non-zero features at once: contribution = tf-idf value × the weight of
        the feature for the row's predicted class.
        """
        readable = self._readable_word_features()
        n_word = len(readable)
        word_part = features[:, :n_word].tocsr()
        n_rows = word_part.shape[0]
        out: list[list[str]] = [[] for _ in range(n_rows)]
        rows = np.repeat(np.arange(n_rows), np.diff(word_part.indptr))
        cols = word_part.indices
        for head in ("level", "learning"):
            classes = self.classes_[head]
            shown_class = np.array([c not in ("none", "other") for c in classes])[predicted[head]]
            contributions = word_part.data * self.coef_[head][predicted[head][rows], cols]
            keep = (contributions > 0.05) & shown_class[rows]
            r, c, v = rows[keep], cols[keep], contributions[keep]
            order = np.lexsort((-v, r))
            r, c = r[order], c[order]
            counts: dict[int, int] = {}
            for row, col in zip(r.tolist(), c.tolist(), strict=True):
                name = readable[col]
                if name is None or counts.get(row, 0) >= k:
                    continue
                counts[row] = counts.get(row, 0) + 1
                out[row].append(f"{classes[predicted[head][row]]}:{name}")
        return out

    def _readable_word_features(self) -> list[str | None]:
        """Display names of the word features, computed once per model."""
        if getattr(self, "_readable_cache", None) is None:
            self._readable_cache = [_readable_feature(n) for n in self.word_vectorizer_.get_feature_names_out()]
        return self._readable_cache

    def top_features(self, head: str, label: str, n: int = 15) -> list[str]:
        """The n-grams and cues that most raise a label's score (for documentation and cues)."""
        names = self.feature_names_()
        row = self.coef_[head][self.classes_[head].index(label)]
        return [names[i] for i in np.argsort(row)[::-1][:n]]

    def feature_names_(self) -> list[str]:
        names = list(self.word_vectorizer_.get_feature_names_out())
        if self.char_vectorizer_ is not None:
            names += [f"char:{n}" for n in self.char_vectorizer_.get_feature_names_out()]
        if getattr(self, "affix_vectorizer_", None) is not None:
            names += [f"affix:{n}" for n in self.affix_vectorizer_.get_feature_names_out()]
        if getattr(self, "sentence_embeddings", None):
            names += [f"embedding:{self.sentence_embeddings}:{i}" for i in range(self._embedding_dimension())]
        return names

    def _embedding_dimension(self) -> int:
        n_sparse = len(self.word_vectorizer_.vocabulary_)
        n_sparse += len(self.char_vectorizer_.vocabulary_) if self.char_vectorizer_ is not None else 0
        if getattr(self, "affix_vectorizer_", None) is not None:
            n_sparse += len(self.affix_vectorizer_.vocabulary_)
        return next(iter(self.coef_.values())).shape[1] - n_sparse

    def _check_fitted(self) -> None:
        if not hasattr(self, "word_vectorizer_"):
            raise ModelError("classifier is not fitted")

    # -- persistence ------------------------------------------------------------------------

    def get_params(self) -> dict[str, Any]:
        return {"word_ngrams": list(self.word_ngrams),
                "char_ngrams": list(self.char_ngrams) if self.char_ngrams else None,
                "max_word_features": self.max_word_features, "max_char_features": self.max_char_features,
                "C": self.C, "class_weight": self.class_weight, "use_cues": self.use_cues,
                "opening_words": self.opening_words, "affixes": self.affixes,
                "sentence_embeddings": self.sentence_embeddings, "embedding_weight": self.embedding_weight,
                "random_state": self.random_state}

    def save(self, directory: str | Path, meta: Mapping[str, Any] | None = None) -> Path:
        """Write ``vectorizers.json``, ``weights.npz`` and ``meta.json`` (with file hashes)."""
        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        vectorizers = {"word": _vectorizer_state(self.word_vectorizer_),
                       "char": _vectorizer_state(self.char_vectorizer_) if self.char_vectorizer_ else None,
                       "affix": _vectorizer_state(self.affix_vectorizer_) if self.affix_vectorizer_ else None}
        (directory / "vectorizers.json").write_text(json.dumps(vectorizers, ensure_ascii=False, sort_keys=True),
                                                    encoding="utf-8")
        arrays = {}
        for head in self.coef_:
            arrays[f"{head}__coef"] = self.coef_[head]
            arrays[f"{head}__intercept"] = self.intercept_[head]
        np.savez_compressed(directory / "weights.npz", **arrays)
        full_meta = dict(meta or {})
        full_meta.update({
            "format_version": FORMAT_VERSION,
            "params": self.get_params(),
            "heads": {head: list(self.classes_[head]) for head in self.coef_},
            "temperature": self.temperature_,
            "files": {name: _sha256(directory / name) for name in ("vectorizers.json", "weights.npz")},
        })
        (directory / "meta.json").write_text(json.dumps(full_meta, indent=2, ensure_ascii=False, sort_keys=True),
                                             encoding="utf-8")
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> ResultsChainClassifier:
        """Load a saved model, checking format version and file hashes.

        Raises:
            ModelError: missing files, a hash mismatch, an unknown format version, or a sentence
                embedder the model needs that is not installed.
        """
        directory = Path(directory)
        meta_path = directory / "meta.json"
        if not meta_path.is_file():
            raise ModelError(f"no model at {directory} (meta.json missing)")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise ModelError(f"model format {meta.get('format_version')} is not {FORMAT_VERSION}")
        for name, digest in meta["files"].items():
            path = directory / name
            if not path.is_file():
                raise ModelError(f"model file {name} is missing in {directory}")
            if _sha256(path) != digest:
                raise ModelError(f"model file {name} does not match its hash in meta.json")
        params = meta["params"]
        model = cls(word_ngrams=tuple(params["word_ngrams"]),
                    char_ngrams=tuple(params["char_ngrams"]) if params["char_ngrams"] else None,
                    max_word_features=params["max_word_features"], max_char_features=params["max_char_features"],
                    C=params["C"], class_weight=params["class_weight"], use_cues=params["use_cues"],
                    opening_words=params.get("opening_words", False), affixes=params.get("affixes", False),
                    sentence_embeddings=params.get("sentence_embeddings"),
                    embedding_weight=params.get("embedding_weight", 1.0),
                    random_state=params["random_state"])
        state = json.loads((directory / "vectorizers.json").read_text(encoding="utf-8"))
        word, char, affix = model._make_vectorizers()
        model.word_vectorizer_ = _restore_vectorizer(word, state["word"])
        model.char_vectorizer_ = _restore_vectorizer(char, state["char"]) if state["char"] else None
        model.affix_vectorizer_ = _restore_vectorizer(affix, state["affix"]) if state.get("affix") else None
        with np.load(directory / "weights.npz", allow_pickle=False) as arrays:
            model.coef_ = {h: arrays[f"{h}__coef"] for h in meta["heads"]}
            model.intercept_ = {h: arrays[f"{h}__intercept"] for h in meta["heads"]}
        model.classes_ = {h: tuple(c) for h, c in meta["heads"].items()}
        model.temperature_ = {h: float(t) for h, t in meta["temperature"].items()}
        model.meta_ = meta
        if model.sentence_embeddings:
            from .embeddings import get_embedder

            # fail at load, with the install hint, not mid-run
            dimension = get_embedder(model.sentence_embeddings).dimension
            if dimension != model._embedding_dimension():
                raise ModelError(f"embedder {model.sentence_embeddings!r} gives {dimension} dimensions; "
                                 f"the model was trained with {model._embedding_dimension()}")
        return model


_AFFIX_WORD_RE = re.compile(r"(?u)\b\w{7,}\b")


def affix_text(text: str) -> str:
    """Prefix and suffix tokens of long words: ``opplæringsprogram`` → ``p:opplæ s:gram``."""
    words = _AFFIX_WORD_RE.findall(text.lower())
    return " ".join(f"p:{w[:5]} s:{w[-4:]}" for w in words)


def _readable_feature(name: str) -> str | None:
    """``__cue_lesson__`` → ``cue:lesson``, ``__first2_number_of__`` → ``opens:'number of'``;
    n-grams that mix pseudo-words with others are not shown."""
    parts = name.split(" ")
    pseudo = [p.startswith("__") and p.endswith("__") for p in parts]
    if len(parts) == 1 and pseudo[0]:
        if name.startswith("__cue_"):
            return f"cue:{name[6:-2]}"
        if name.startswith("__first2_"):
            return "opens:'" + name[9:-2].replace("_", " ") + "'"
        if name.startswith("__first_"):
            return f"opens:'{name[8:-2]}'"
        return None
    if any(pseudo):
        return None
    return f"'{name}'"


def _vectorizer_state(vectorizer) -> dict[str, Any]:
    vocabulary = sorted(vectorizer.vocabulary_.items(), key=lambda kv: kv[1])
    return {"terms": [term for term, _ in vocabulary], "idf": [float(x) for x in vectorizer.idf_]}


def _restore_vectorizer(vectorizer, state: Mapping[str, Any]):
    vectorizer.set_params(vocabulary={term: i for i, term in enumerate(state["terms"])})
    vectorizer._validate_vocabulary()
    vectorizer.idf_ = np.asarray(state["idf"], dtype=np.float32)
    return vectorizer


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
