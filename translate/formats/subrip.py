"""SubRip subtitles (.srt): cue numbers and timings are kept; each cue's text lines are one block."""

from __future__ import annotations

import re

from translate.document import Block, Segment, SourceDocument
from translate.errors import InputError
from translate.formats.base import TextFormat, replace_blocks, trimmed_block
from translate.formats.encoding import decode_bytes

_TIMING = re.compile(r"^[ \t]*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}[ \t]*-->[ \t]*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}.*$", re.MULTILINE)
_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")


class SubRipFormat(TextFormat):
    name = "srt"
    suffix = ".srt"
    suffixes = (".srt",)

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        text, encoding = decode_bytes(data, source)
        blocks = cue_text_blocks(text)
        if text.strip() and not _TIMING.search(text):
            raise InputError(f"{source}: not a SubRip file (no cue timing line such as 00:00:01,000 --> 00:00:02,000)")
        return SourceDocument(source, text, sha256, encoding, blocks)

    def write(self, document: SourceDocument, segments: list[Segment]) -> str:
        return replace_blocks(document.text, document.blocks, segments)


def cue_text_blocks(text: str) -> list[Block]:
    """One block per cue: from the line after its timing line to the blank line that ends the cue.

    A cue number is the line before the timing; it is never part of a block, and neither is
    the next cue's number when a file omits the blank line between cues.
    """
    blocks = []
    timings = list(_TIMING.finditer(text))
    for index, timing in enumerate(timings):
        start = timing.end()
        end = len(text)
        blank = _BLANK_LINE.search(text, start)
        if blank:
            end = blank.start()
        if index + 1 < len(timings) and timings[index + 1].start() < end:
            # Missing blank line: stop before the next cue's number line.
            end = text.rfind("\n", start, text.rfind("\n", start, timings[index + 1].start()))
            end = max(end, start)
        if block := trimmed_block(text, start, end):
            blocks.append(block)
    return blocks
