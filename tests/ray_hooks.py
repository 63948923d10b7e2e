"""Set up in every Ray worker of tests/test_ray_executor.py (``worker_process_setup_hook``): a work
unit holding the poison text kills the worker's process, as a native crash would."""

import os

POISON = "Ce texte empoisonné fait tomber le processus qui le traduit."


def crash_on_poison() -> None:
    import translate.translator as translator

    original = translator.translate_texts

    def translate_texts(engine, texts, **kwargs):
        if any(POISON in text for text in texts):
            os._exit(1)  # no exception, no cleanup: the actor dies
        return original(engine, texts, **kwargs)

    translator.translate_texts = translate_texts
