"""Expected errors: shown to the user as one clear message, never as a traceback."""


class TranslateError(Exception):
    """An error the user can act on. ``str(err)`` is the message shown."""

    exit_code = 1


class UsageError(TranslateError):
    """Bad options or arguments (exit code 2, like click's own usage errors)."""

    exit_code = 2


class ModelUnavailable(TranslateError):
    """A model could not be found locally nor downloaded (the message names every missing one)."""


ModelNotFoundError = ModelUnavailable  # the name used before the Python API was published


class InputError(TranslateError):
    """One input file cannot be processed; a batch records it and goes on."""
