"""The plan of a group of documents, the same for every executor and the API.

A group's documents are translated together: their texts grouped by language (repeated texts
once), the memory first, the model for what the memory lacks; each translation fills every span
waiting for it (with its word alignment), and a document is handed to ``on_done`` (written) as
soon as its last span is filled. Only who calls the model differs: the in-process executor and
the API call the session at once; the Ray executor sends the texts to its actors and calls
``GroupPlan.translated`` when they come back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from translate.engines.base import Hypothesis
from translate.session import Session
from translate.stages import SegmentedDocument, align_words
from translate.stagetimes import NO_STAGE_TIMES

# text -> the spans waiting for its translation: (document, segment index)
Waiters = dict[str, list[tuple["Pending", int]]]


@dataclass
class Pending:
    """A segmented document waiting for its translations."""

    segmented: SegmentedDocument
    waiting: int  # segments still without a translation
    failed: bool = False  # its translation failed (Ray): later translations are not filled in


class _SilentProgress:
    def spans_found(self, count: int) -> None:
        pass

    def spans_done(self, count: int) -> None:
        pass


class GroupPlan:
    """Translates groups of documents with a session; one per run (it counts the run's work).

    ``on_done(pending)`` is called once per document, when its spans are all filled.
    ``progress`` has ``spans_found(count)`` and ``spans_done(count)`` (``translate.batch.BatchProgress``).
    """

    def __init__(self, session: Session, on_done: Callable[[Pending], None], progress=None, *,
                 batch_size: int | None = None, times=None):
        self.session = session
        self.on_done = on_done
        self.progress = progress or _SilentProgress()
        self.batch_size = batch_size
        self.times = times  # None, or a StageTimes that also times the engines
        self.languages: set[str] = set()  # languages this run translated
        self.model_translations = 0  # distinct texts the models translated
        self.memory_hits = 0  # distinct texts taken from the memory

    def models_used(self) -> dict[str, str]:
        """Language -> configured model name, for the languages this run translated."""
        return {lang: self.session.identity.model_name(lang) for lang in sorted(self.languages)}

    def run(self, documents: list[SegmentedDocument],
            translate_missing: Callable[[str, Waiters], None] | None = None) -> list[Pending]:
        """Plan and translate ``documents``: those with nothing to translate are done at once; then,
        language by language in order, the memory fills what it has and ``translate_missing(lang,
        waiters)`` gets the rest (default: the session's model, at once). Returns the documents."""
        pending = [Pending(document, document.waiting()) for document in documents]
        by_language: dict[str, Waiters] = {}
        for entry in pending:
            for index, lang, text in entry.segmented.to_translate():
                by_language.setdefault(lang, {}).setdefault(text, []).append((entry, index))
        for entry in pending:
            if entry.waiting == 0:
                self.on_done(entry)
        for lang in sorted(by_language):
            waiters = by_language[lang]
            self.languages.add(lang)
            self.progress.spans_found(len(waiters))
            hits = self.session.lookup(lang, list(waiters), self.times or NO_STAGE_TIMES)
            self.memory_hits += len(hits)
            self.fill(waiters, list(hits.items()))
            if waiters:
                (translate_missing or self.translate_now)(lang, waiters)
        return pending

    def translate_now(self, lang: str, waiters: Waiters) -> None:
        """The session's model translates the texts; each engine batch is stored, then filled in."""
        def translated(pairs: list[tuple[str, Hypothesis]]) -> None:
            self.model_translations += len(pairs)
            self.fill(waiters, pairs)

        self.session.translate(lang, list(waiters), batch_size=self.batch_size, on_translated=translated,
                               times=self.times)

    def translated(self, lang: str, waiters: Waiters, pairs: list[tuple[str, Hypothesis]]
                   ) -> list[tuple[str, Hypothesis]]:
        """Translations made elsewhere (a Ray actor): stored in the memory, then filled in; returns
        the stored pairs."""
        pairs = self.session.remember(lang, pairs)
        self.model_translations += len(pairs)
        self.fill(waiters, pairs)
        return pairs

    def fill(self, waiters: Waiters, pairs: list[tuple[str, Hypothesis]]) -> None:
        """Give each span waiting for one of these texts its translation and alignment; a document
        whose last span this fills is done."""
        times = self.times or NO_STAGE_TIMES
        for text, hypothesis in pairs:
            for entry, index in waiters.pop(text, ()):
                if entry.failed:
                    continue
                with times.stage("alignment"):
                    align_words(entry.segmented.segments[index], hypothesis, text)
                entry.waiting -= 1
                if entry.waiting == 0:
                    self.on_done(entry)
        self.progress.spans_done(len(pairs))
