"""Offline language identification per document and per passage.

The document language comes from lingua (restricted to the languages we expect, which makes it
both faster and more accurate) over a sample of the body text. Passages are cheap to check: a
function-word profile decides whether a passage is clearly in another language than its document,
and only then asks lingua. Bokmål and Nynorsk are told apart by their distinctive function words,
because statistical detectors confuse the two on short texts.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache

logger = logging.getLogger(__name__)

#: ISO 639-1 codes of the languages we detect
LANGUAGES: tuple[str, ...] = ("en", "nb", "nn", "sv", "da", "de", "fr", "es")

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(["the", "of", "and", "to", "in", "is", "was", "were", "are", "for", "with", "that", "this", "by", "from", "on", "have", "has", "been", "which", "will", "be", "not", "an", "their", "it", "as", "at", "or"]),
    "nb": frozenset(["og", "i", "av", "til", "er", "for", "som", "med", "på", "det", "en", "et", "ikke", "har", "den", "de", "å", "om", "ble", "vil", "skal", "fra", "hvor", "hva", "også", "eller", "sine", "kan", "blant", "noen", "mye", "hvordan", "jeg"]),
    "nn": frozenset(["og", "i", "av", "til", "er", "for", "som", "med", "på", "det", "ein", "eit", "ikkje", "har", "den", "dei", "å", "om", "vart", "vil", "skal", "frå", "kvar", "kva", "òg", "eller", "sine", "kan", "blant", "nokon", "mykje", "korleis", "eg", "berre", "vere"]),
    "sv": frozenset(["och", "i", "av", "till", "är", "för", "som", "med", "på", "det", "en", "ett", "inte", "har", "den", "de", "att", "om", "blev", "vill", "ska", "från", "var", "vad", "också", "eller", "kan", "bland", "några", "mycket", "hur", "jag"]),
    "da": frozenset(["og", "i", "af", "til", "er", "for", "som", "med", "på", "det", "en", "et", "ikke", "har", "den", "de", "at", "om", "blev", "vil", "skal", "fra", "hvor", "hvad", "også", "eller", "kan", "blandt", "nogle", "meget", "hvordan", "jeg"]),
    "de": frozenset(["der", "die", "das", "und", "zu", "in", "ist", "war", "für", "mit", "von", "den", "des", "nicht", "auf", "ein", "eine", "dem", "sich", "auch", "wird", "werden", "oder", "wie", "bei"]),
    "fr": frozenset(["le", "la", "les", "de", "des", "et", "à", "en", "du", "un", "une", "est", "pour", "dans", "que", "qui", "par", "sur", "au", "aux", "pas", "plus", "ou", "sont", "été", "avec"]),
    "es": frozenset(["el", "la", "los", "las", "de", "y", "en", "que", "por", "para", "con", "del", "un", "una", "es", "se", "al", "su", "sus", "como", "más", "fue", "han", "ha", "o", "sobre"]),
}
_NB_MARKERS = frozenset(["ikke", "jeg", "hva", "hvordan", "noen", "mye", "også", "hvor", "bare", "være", "fra", "ble", "deres", "hvilke", "mellom"])
_NN_MARKERS = frozenset(["ikkje", "eg", "kva", "korleis", "nokon", "mykje", "òg", "kvar", "berre", "vere", "frå", "vart", "deira", "kva", "for", "mellom"]) - _NB_MARKERS
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in (
        "ENGLISH", "BOKMAL", "NYNORSK", "SWEDISH", "DANISH", "GERMAN", "FRENCH", "SPANISH")]
    # low-accuracy mode uses trigram models only: a fifth of the memory, several times faster,
    # and as accurate on the document-length samples it is used for here
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _iso(language) -> str | None:
    if language is None:
        return None
    return language.iso_code_639_1.name.lower()


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def _norwegian_variant(words: list[str]) -> str:
    nn = sum(w in _NN_MARKERS for w in words)
    nb = sum(w in _NB_MARKERS for w in words)
    return "nn" if nn > nb else "nb"


def function_words() -> frozenset[str]:
    """The function words of every language the fast detector knows (stop words for themes)."""
    return frozenset().union(*_FUNCTION_WORDS.values())


def function_word_profile(text: str) -> Counter[str]:
    """Counts of each language's function words in ``text`` (fast, no model)."""
    words = set(_words(text))
    return Counter({lang: n for lang, vocabulary in _FUNCTION_WORDS.items() if (n := len(words & vocabulary))})


def detect_language(text: str, *, sample_chars: int = 6000) -> str | None:
    """The language of a text (ISO 639-1), or ``None`` when it has too few letters to tell."""
    sample = text[:sample_chars]
    words = _words(sample)
    if len(words) < 3:
        return None
    lang = _iso(_detector().detect_language_of(sample))
    if lang in ("nb", "nn"):
        lang = _norwegian_variant(words)
    return lang


def detect_many(texts: list[str]) -> list[str | None]:
    """Languages of many short texts at once (lingua, in parallel)."""
    results = _detector().detect_languages_in_parallel_of(texts)
    out: list[str | None] = []
    for text, language in zip(texts, results, strict=True):
        lang = _iso(language)
        if lang in ("nb", "nn"):
            lang = _norwegian_variant(_words(text))
        out.append(lang)
    return out


def passage_language(text: str, document_language: str | None) -> str | None:
    """The language of a passage, assuming its document's language unless clearly another.

    A passage switches language only when it has enough words and its function words point
    elsewhere; lingua then confirms. Short passages inherit the document language.
    """
    words = _words(text)
    if len(words) < 6 or document_language is None:
        return document_language
    profile = function_word_profile(text)
    if not profile:
        return document_language
    best, best_count = profile.most_common(1)[0]
    own = profile.get(document_language, 0)
    scandinavian = {"nb", "nn", "da", "sv"}
    if best == document_language or best_count < 3 or best_count < 2 * own + 1:
        return document_language
    if best in scandinavian and document_language in scandinavian:
        # close relatives share most function words: trust only the variant markers
        if document_language in ("nb", "nn") and best in ("nb", "nn"):
            return _norwegian_variant(words)
        return document_language
    detected = detect_language(text)
    return detected or document_language
