from __future__ import annotations

import pytest

from findings_miner import errors
from findings_miner.settings import Settings


def test_one_hierarchy_with_codes():
    classes = [getattr(errors, name) for name in errors.__all__]
    assert all(issubclass(cls, errors.FindingsMinerError) for cls in classes)
    codes = [cls.code for cls in classes]
    assert len(codes) == len(set(codes))
    try:
        try:
            raise ValueError("inner")
        except ValueError as exc:
            raise errors.CorruptDocumentError("outer", path="x.pdf") from exc
    except errors.CorruptDocumentError as exc:
        record = exc.to_record()
    assert record == {"path": "x.pdf", "error_code": "corrupt", "error_type": "CorruptDocumentError",
                      "message": "outer", "cause": "ValueError: inner"}


def test_settings_from_environment():
    settings = Settings.from_env({"FINDINGS_MINER_MAX_PAGES": "12", "FINDINGS_MINER_CROSS_CHECK": "false",
                                  "FINDINGS_MINER_PDF_ENGINE": "pdfplumber"})
    assert settings.max_pages == 12 and settings.cross_check is False and settings.pdf_engine == "pdfplumber"
    assert Settings.from_env({}, max_pages=5).max_pages == 5
    with pytest.raises(errors.InputError):
        Settings.from_env({"FINDINGS_MINER_MAX_PAGES": "many"})
    with pytest.raises(errors.InputError):
        Settings(max_pages=0)
    with pytest.raises(errors.InputError):
        Settings(pdf_engine="tesseract")
    with pytest.raises(errors.InputError):
        Settings.from_env({"FINDINGS_MINER_TIMEOUT_S": "nan"})


def test_public_api_names_stay_functions():
    # the subpackages share these names; importing them must not shadow the functions
    import findings_miner.analyze
    import findings_miner.classify
    import findings_miner.digest
    import findings_miner.extract
    import findings_miner.score

    for name in ("extract", "classify", "analyze", "score", "digest"):
        assert callable(getattr(findings_miner, name)), name
    assert callable(findings_miner.extract)
    with pytest.raises(AttributeError):
        _ = findings_miner.not_a_thing
