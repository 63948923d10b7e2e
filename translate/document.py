"""Core data of the pipeline: small dataclasses passed between stages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

LANGUAGES = ("fr", "es", "en")
# Languages translated by default (a run also translates every language given --model LANG=...).
TRANSLATED_LANGUAGES = ("fr", "es")
UNDETERMINED = "und"
# Languages whose spans are English already: their translation is their text.
KEPT_LANGUAGES = ("en", UNDETERMINED)


@dataclass
class Span:
    """A span of the decoded input text in one language.

    ``start``/``end`` are character offsets into the decoded input. For plain text and
    subtitles ``text == input[start:end]``; for HTML and Markdown ``text`` is the span's plain
    text (markup removed, references decoded: what the model is given) and ``start``/``end``
    run from its first to its last character in the source, inline markup included. ``translation`` and ``score`` are filled by the
    translate stage (for ``en``/``und`` spans the translation is the text itself and
    the score is None); ``alignment`` by the align stage.
    """

    paragraph: int
    start: int
    end: int
    lang: str
    text: str
    translation: str | None = None
    score: float | None = None
    alignment: list[list[int]] | None = None
    # Inline markup inside the span (HTML, Markdown), as the English document placed it:
    # [{"element", "kind", "source": [start, end] in text, "target": [start, end] in translation}],
    # links with their "href" (and "title"); a kept span's target ranges are its source ranges.
    markup: list[dict] | None = None
    # "human" when the translation is a reviewer's (``translate review``); None: the model's, or the text as it was.
    origin: str | None = None

    @property
    def needs_translation(self) -> bool:
        """In a language a default run translates (fr, es)."""
        return self.lang in TRANSLATED_LANGUAGES

    @property
    def machine_translated(self) -> bool:
        """Translated by a model: not English or ``und``, not left untranslated (translation None),
        and not a reviewer's translation."""
        return self.lang not in KEPT_LANGUAGES and self.translation is not None and self.origin != "human"

    def to_json(self) -> dict:
        data = asdict(self)
        for optional in ("alignment", "markup", "origin"):
            if data[optional] is None:
                del data[optional]
        return data


@dataclass
class Block:
    """A region of the decoded text that is segmented on its own (a paragraph, a cue, a text node)."""

    start: int
    end: int
    language: str | None = None  # declared by the file (fr, es, en); None: detected


def declared_language(code: str | None) -> str | None:
    """``fr``, ``es`` or ``en`` for a language tag such as ``fr-CA`` or ``es_419``, else None."""
    primary = (code or "").strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


@dataclass
class SourceDocument:
    """A decoded input file, ready to be segmented."""

    source: str  # path relative to the input folder, with forward slashes
    text: str
    sha256: str
    encoding: str
    blocks: list[Block] = field(default_factory=list)
    # HTML and Markdown: the plain text of the inline flows and their markup (translate.markup.PlainText);
    # segmentation runs on it instead of ``text``.
    plain: object | None = None
    # The input's bytes, kept by formats that rebuild the English document from them (Word, EPUB, ...).
    original: bytes | None = field(default=None, repr=False)
    # The language the file declares for its content (<html lang>, w:lang, dc:language), any tag:
    # evidence for the segmenter's short strings, not a decision.
    language: str | None = None
    # What the format parsed when reading (XML packages: the package and its trees), for writing the
    # English without parsing again; used once (``take_parsed``), and not sent to another process.
    parsed: object | None = field(default=None, repr=False, compare=False)
    # Units whose existing translation the format keeps (gettext: message positions), decided when
    # reading: they have no block, are not translated, and the writer keeps their translation.
    kept_translations: tuple[int, ...] = ()
    # The read options that changed how the format read this file (``Format.options_used``).
    read_options: dict = field(default_factory=dict)

    def take_parsed(self) -> object | None:
        """What reading parsed, once: the writer changes it, so a second writer parses again."""
        parsed, self.parsed = self.parsed, None
        return parsed

    def __getstate__(self) -> dict:
        return {**self.__dict__, "parsed": None}


# The former name of Span, kept so that code written against 0.2 still imports.
Segment = Span
