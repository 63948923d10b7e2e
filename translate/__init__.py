"""translate: mixed French/Spanish/English documents to English, side by side.

Pipeline stages, one module each: read (``formats``) -> segment (``segment``) ->
translate (``translator`` over an ``engines`` backend) -> align (``align``) ->
write (``writers``); ``batch`` drives them over a folder and ``cli`` is the
command-line layer. Heavy libraries (torch, transformers, langdetect) are only
imported by the stages that need them so that ``translate --help`` stays instant.
"""

from translate._distribution import DISTRIBUTION, __version__

# The Python API (see translate.api), imported on first use so that `import translate` and
# `translate --help` stay instant.
_API = ("Result", "Summary", "Translator", "apply_reviews", "detect", "review_results", "spot_check", "translate_file",
        "translate_folder", "translate_text")
_ERRORS = ("InputError", "ModelUnavailable", "TranslateError", "UsageError")
__all__ = ["DISTRIBUTION", "__version__", *_API, *_ERRORS]


def __getattr__(name: str):
    if name in _API:
        from translate import api

        return getattr(api, name)
    if name in _ERRORS:
        from translate import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'translate' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API, *_ERRORS])
