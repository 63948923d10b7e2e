"""The CTranslate2 engine's choice of device where a GPU is there but CTranslate2 cannot use it.

Seen on a GPU machine with CUDA 13's libraries only: CTranslate2 4.x found the GPU, loaded the model, then
failed every batch with "Library libcublas.so.12 is not found or cannot be loaded" and a traceback. These
tests stand in for that machine (this one has no GPU): the GPU count and the library loading are faked.
"""

from __future__ import annotations

import pytest

from translate.engines import EngineSettings, load_engine, planned_engine_record
from translate.engines import ctranslate2_engine as ct2_engine
from translate.errors import TranslateError, UsageError


@pytest.fixture
def gpu_without_cublas(monkeypatch):
    """CTranslate2 sees one GPU; CUDA 12's cuBLAS cannot be loaded."""
    import ctranslate2

    real_cdll = ct2_engine.ctypes.CDLL

    def cdll(name, *args, **kwargs):
        if "cublas" in str(name):
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return real_cdll(name, *args, **kwargs)

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    monkeypatch.setattr(ct2_engine.ctypes, "CDLL", cdll)
    monkeypatch.setattr(ct2_engine.sys, "platform", "linux")
    ct2_engine.cuda_problem.cache_clear()
    yield
    ct2_engine.cuda_problem.cache_clear()


def test_auto_takes_the_cpu_and_records_its_compute_type_when_cublas_is_missing(gpu_without_cublas):
    assert ct2_engine.pick_device("auto") == "cpu"
    # The translation memory's key names the compute type actually used: the CPU's.
    assert planned_engine_record(EngineSettings(engine="ctranslate2", device="auto"))["compute_type"] == "int8"


def test_device_cuda_without_cublas_is_a_one_line_error_naming_the_library(gpu_without_cublas):
    with pytest.raises(UsageError) as caught:
        ct2_engine.pick_device("cuda")
    message = str(caught.value)
    assert "libcublas.so.12" in message and "--device cpu" in message and "\n" not in message


def test_auto_takes_the_gpu_when_cublas_loads(monkeypatch):
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    monkeypatch.setattr(ct2_engine.ctypes, "CDLL", lambda name, *a, **k: object())
    ct2_engine.cuda_problem.cache_clear()
    try:
        assert ct2_engine.pick_device("auto") == "cuda"
    finally:
        ct2_engine.cuda_problem.cache_clear()


def test_no_gpu_keeps_its_message(monkeypatch):
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    ct2_engine.cuda_problem.cache_clear()
    try:
        assert ct2_engine.pick_device("auto") == "cpu"
        with pytest.raises(UsageError, match="no CUDA device is available to CTranslate2"):
            ct2_engine.pick_device("cuda")
    finally:
        ct2_engine.cuda_problem.cache_clear()


def test_a_gpu_that_cannot_decode_stops_at_load_with_the_reason(monkeypatch, tiny_model, tmp_path):
    """A library problem that only shows when decoding (as libcublas did) ends the load, not each batch."""
    import ctranslate2

    class GpuTranslator:
        def __init__(self, path, device, **options):
            assert device == "cuda"

        def translate_batch(self, *args, **kwargs):
            raise RuntimeError("Library libcublas.so.12 is not found or cannot be loaded")

    monkeypatch.setenv("TRANSLATE_MODELS_DIR", str(tmp_path / "models-root"))
    monkeypatch.setattr(ct2_engine, "pick_device", lambda requested: "cuda")
    monkeypatch.setattr(ct2_engine, "pick_compute_type", lambda requested, device: "int8")
    monkeypatch.setattr(ctranslate2, "Translator", GpuTranslator)
    with pytest.raises(TranslateError) as caught:
        load_engine(tiny_model, EngineSettings(engine="ctranslate2", device="cuda"))
    message = str(caught.value)
    assert "on CUDA: Library libcublas.so.12 is not found or cannot be loaded" in message
    assert "--device cpu" in message and "\n" not in message


def test_a_run_on_auto_says_it_translates_on_the_cpu_when_the_gpu_cannot_be_used(gpu_without_cublas, tiny_model,
                                                                                  tmp_path):
    from translate.api import Translator

    warnings = []
    translator = Translator(models={"fr": str(tiny_model), "es": str(tiny_model)}, engine="ctranslate2", models_root=tmp_path / "root",
                            cache=tmp_path / "memory.sqlite3", on_warning=warnings.append)
    with translator:
        result = translator.translate_text("Le chat dort sur le canapé du salon.")
    assert any(seg.translation for seg in result.segments), "translated on the CPU"
    assert [w for w in warnings if "translating on the CPU" in w and "libcublas.so.12" in w], warnings


def test_no_notice_without_a_gpu_or_with_a_device_chosen(monkeypatch):
    import ctranslate2

    from translate.engines import device_notice

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    ct2_engine.cuda_problem.cache_clear()
    try:
        assert device_notice(EngineSettings(engine="ctranslate2", device="auto")) is None
        assert device_notice(EngineSettings(engine="ctranslate2", device="cpu")) is None
    finally:
        ct2_engine.cuda_problem.cache_clear()
