"""The suite's own models stay out of the repository: what loading a test model writes (its
CTranslate2 conversion, the translation memory) goes to a temporary models root."""

from __future__ import annotations

from conftest import REPO


def test_conversions_of_test_models_are_not_written_into_the_repository(tiny_model):
    from translate.engines.ctranslate2_engine import ensure_converted
    from translate.memory import default_memory_path
    from translate.models import models_root

    converted = ensure_converted(tiny_model, "int8")

    assert converted.is_dir()
    for path in (converted, models_root(), default_memory_path(models_root())):
        assert REPO not in path.resolve().parents, path
