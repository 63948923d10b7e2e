"""The Python API's errors: a wrong type is a ``TypeError`` naming the parameter, any other bad
value a ``TranslateError`` worded for Python (parameter names, never the CLI's ``--options``),
raised before any model is looked up or any file written."""

from __future__ import annotations

import re

import pytest

import translate
from translate import InputError, ModelUnavailable, TranslateError, Translator, UsageError

FRENCH = "Le chat dort sur le canapé depuis ce matin avec le chien de la maison."


@pytest.fixture(scope="module")
def translator(tiny_model, tmp_path_factory):
    root = tmp_path_factory.mktemp("api-errors-models")
    with Translator({"fr": str(tiny_model), "es": str(tiny_model)}, models_root=root,
                    cache=root / "memory.sqlite3") as made:
        yield made


@pytest.fixture
def no_models(tmp_path, monkeypatch):
    """An empty models root and the Hub switched off: nothing can be downloaded or found."""
    monkeypatch.setenv("TRANSLATE_MODELS_DIR", str(tmp_path / "empty-root"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return tmp_path


def api_worded(err: BaseException, *names: str) -> None:
    message = str(err)
    assert not re.search(r"(?<![\w-])--[a-z]", message), f"a CLI option in a Python API error: {message}"
    for name in names:
        assert name in message, f"{name!r} not named in: {message}"


# -- wrong types: TypeError naming the parameter ---------------------------------------------------


@pytest.mark.parametrize("text", [None, b"Le chat dort.", 42, ["Le chat dort."]], ids=repr)
def test_translate_text_refuses_what_is_not_a_str(text, no_models):
    with pytest.raises(TypeError, match=r"\btext\b") as caught:
        translate.translate_text(text)
    api_worded(caught.value, "text")


@pytest.mark.parametrize("text", [None, b"Le chat dort.", 42], ids=repr)
def test_detect_refuses_what_is_not_a_str(text):
    with pytest.raises(TypeError, match=r"\btext\b"):
        translate.detect(text)


@pytest.mark.parametrize("call", ["translate_text", "detect"])
def test_format_none_is_a_type_error(call, no_models):
    with pytest.raises(TypeError, match=r"\bformat\b"):
        getattr(translate, call)(FRENCH, format=None)


@pytest.mark.parametrize("models", [["fr"], "fr=models/opus-mt-fr-en", {"fr": None}, {"fr": 42}, {None: "x"}],
                         ids=repr)
def test_translator_models_must_map_languages_to_models(models, no_models):
    with pytest.raises(TypeError, match=r"\bmodels\b"):
        Translator(models)


@pytest.mark.parametrize("settings", [{"beams": "4"}, {"batch_size": 2.5}, {"languages": 42}, {"engine": None},
                                      {"device": 0}, {"alignment": "no"}, {"models_root": 3}],
                         ids=lambda settings: next(iter(settings)))
def test_translator_settings_of_the_wrong_type(settings, no_models):
    with pytest.raises(TypeError, match=rf"\b{next(iter(settings))}\b"):
        Translator(**settings)


def test_file_and_folder_paths_of_the_wrong_type(no_models, tmp_path):
    with pytest.raises(TypeError, match=r"\bpath\b"):
        translate.translate_file(None)
    with pytest.raises(TypeError, match=r"\binput_dir\b"):
        translate.translate_folder(None, tmp_path / "out")
    with pytest.raises(TypeError, match=r"\bout_dir\b"):
        translate.translate_folder(tmp_path, 42)
    with pytest.raises(TypeError, match=r"\bsample\b"):
        translate.spot_check(tmp_path, sample="3")


# -- {"fr": None} is not a model named "None" --------------------------------------------------------


def test_a_missing_model_is_not_looked_up_as_the_text_none(no_models):
    with pytest.raises(TypeError) as caught:
        Translator({"fr": None})
    api_worded(caught.value, "models", "fr")


# -- bad values: TranslateError, in the API's words --------------------------------------------------


@pytest.mark.parametrize("call", ["translate_text", "detect"])
def test_a_lone_surrogate_is_an_input_error_naming_where(call, no_models):
    with pytest.raises(InputError) as caught:
        getattr(translate, call)("Le chat \ud800 dort.")
    api_worded(caught.value, "text")
    assert "U+D800" in str(caught.value)


def test_unknown_format_names_the_parameter():
    with pytest.raises(UsageError) as caught:
        translate.detect(FRENCH, format="pdf")
    api_worded(caught.value, "format")


@pytest.mark.parametrize("models, name", [
    ({"fr": ""}, "models"), ({"en": "opus"}, "models"), ({"f r": "opus"}, "models"),
], ids=["empty model", "en", "bad code"])
def test_bad_model_choices_use_api_wording(models, name, no_models):
    with pytest.raises(UsageError) as caught:
        Translator(models)
    api_worded(caught.value, name)


@pytest.mark.parametrize("settings, name", [
    pytest.param({"languages": "en"}, "languages", id="languages en"),
    pytest.param({"languages": ["fr"], "models": {"it": "opus"}}, "languages",
                 id="model outside languages"),
    pytest.param({"engine": "moses"}, "engine", id="engine"),
    pytest.param({"compute_type": "int3"}, "compute_type", id="compute_type"),
    pytest.param({"device": "tpu"}, "device", id="device"),
    pytest.param({"beams": 0}, "beams", id="beams"),
    pytest.param({"batch_size": 0}, "batch_size", id="batch_size"),
])
def test_bad_translator_settings_use_api_wording(settings, name, no_models):
    with pytest.raises(UsageError) as caught:
        Translator(**settings)
    api_worded(caught.value, name)


def test_a_missing_model_is_explained_in_api_words(no_models):
    with pytest.raises(ModelUnavailable) as caught:
        Translator({"fr": str(no_models / "no-such-model")}).translate_text(FRENCH)
    api_worded(caught.value, "models=")
    assert "no-such-model" in str(caught.value)


def test_out_dir_that_is_a_file(translator, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(FRENCH, encoding="utf-8")
    in_the_way = tmp_path / "notes"
    in_the_way.write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        translator.translate_file(source, out_dir=in_the_way)
    api_worded(caught.value, "out_dir", str(in_the_way))
    with pytest.raises(UsageError) as caught:
        translator.translate_folder(tmp_path, out_dir=in_the_way)
    api_worded(caught.value, "out_dir", str(in_the_way))
    assert in_the_way.read_text(encoding="utf-8") == "mine"


def test_out_dir_that_is_a_file_fails_before_any_model_is_loaded(no_models):
    source = no_models / "a.txt"
    source.write_text(FRENCH, encoding="utf-8")
    in_the_way = no_models / "notes"
    in_the_way.write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="out_dir"):
        Translator().translate_file(source, out_dir=in_the_way)


def test_folder_options_use_api_wording(translator, tmp_path):
    inputs = tmp_path / "in"  # the output folder beside it: one inside it is refused too
    inputs.mkdir()
    (inputs / "a.txt").write_text(FRENCH, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        translator.translate_folder(inputs, tmp_path / "out", formats="txt,pdf")
    api_worded(caught.value, "formats", "pdf")
    with pytest.raises(UsageError) as caught:
        translator.translate_folder(inputs, tmp_path / "out", executor="spark")
    api_worded(caught.value, "executor")
    with pytest.raises(UsageError) as caught:
        translator.translate_folder(inputs, inputs)
    api_worded(caught.value, "out_dir")
    with pytest.raises(UsageError) as caught:
        translator.translate_folder(inputs, inputs / "out")
    api_worded(caught.value, "out_dir")


def test_spot_check_refuses_a_negative_sample_as_the_cli_does(tmp_path):
    with pytest.raises(UsageError) as caught:
        translate.spot_check(tmp_path, sample=-1)
    api_worded(caught.value, "sample")


def test_every_refusal_is_a_translate_error_or_type_error(no_models):
    """The promise callers rely on: ``except (TypeError, TranslateError)`` catches them all."""
    calls = [
        lambda: translate.translate_text(FRENCH, format=""),
        lambda: translate.detect("\udfff"),
        lambda: Translator(languages=[]),
        lambda: Translator(models={"*": ""}),
        lambda: translate.translate_file(no_models / "missing.txt"),
    ]
    for call in calls:
        with pytest.raises((TypeError, TranslateError)):
            call()


def test_good_calls_still_work(translator, tiny_model, tmp_path):
    from pathlib import Path

    assert [seg.lang for seg in translate.detect("The dog barks in the garden.")] == ["en"]
    assert Translator({"fr": Path(tiny_model)}, models_root=tmp_path / "root").models["fr"] == str(tiny_model)
    result = translator.translate_text(FRENCH, format=".TXT")
    assert result.segments and result.segments[0].translation


def test_the_cli_keeps_its_option_names(tmp_path, isolated_env):
    """The CLI's commands call the API: their errors still name the CLI's options."""
    from conftest import run_cli

    (tmp_path / "in").mkdir()
    done = run_cli("batch", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--model", "en=x",
                   env=isolated_env, timeout=60)
    assert done.returncode == 2 and "--model" in done.stderr and "models=" not in done.stderr, done.stderr
    in_the_way = tmp_path / "file"
    in_the_way.write_text("mine", encoding="utf-8")
    done = run_cli("batch", str(tmp_path / "in"), "--out", str(in_the_way), env=isolated_env, timeout=60)
    assert done.returncode == 2 and f"--out {in_the_way}" in done.stderr, done.stderr


def test_the_module_level_folder_function_takes_the_executor_as_the_method_does(no_models, tmp_path):
    (tmp_path / "in").mkdir()
    with pytest.raises(UsageError, match=r"\bexecutor\b.*\bin-process\b.*\bray\b"):
        translate.translate_folder(tmp_path / "in", tmp_path / "out", executor="threads")
