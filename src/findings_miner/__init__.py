"""findings_miner: mine aid-project documents for results, indicators, lessons and recommendations.

The pipeline reads as the package: ``extract`` → ``segment`` → ``classify`` → ``score`` →
``digest``. Several entry points share their name with the subpackage that implements them
(``findings_miner.extract`` the function lives in ``findings_miner/extract/``), so those are bound
here eagerly; the subpackages keep heavy imports (pdf engines, scikit-learn) inside functions, so
``import findings_miner`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .analyze import Analysis, analyze
from .classify import classify, load_model
from .digest import digest
from .errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    FindingsMinerError,
    InputError,
    LimitExceededError,
    ModelError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from .extract import ExtractionResult, extract, extract_many, extract_safe
from .score import score

__version__ = "0.1.0"

_LAZY = {
    "Document": ("findings_miner.document", "Document"),
    "Passage": ("findings_miner.document", "Passage"),
    "Settings": ("findings_miner.settings", "Settings"),
}

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document, Passage
    from .settings import Settings


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'findings_miner' has no attribute {name!r}")


__all__ = [
    "Analysis",
    "CorruptDocumentError",
    "Document",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "ExtractionResult",
    "FindingsMinerError",
    "InputError",
    "LimitExceededError",
    "ModelError",
    "NoTextLayerError",
    "Passage",
    "Settings",
    "UnsupportedFormatError",
    "__version__",
    "analyze",
    "classify",
    "digest",
    "extract",
    "extract_many",
    "extract_safe",
    "load_model",
    "score",
]
