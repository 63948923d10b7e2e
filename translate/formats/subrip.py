"""SubRip subtitles (.srt): cue numbers and timings are kept; each cue's text lines are one block.

Line breaks may be LF, CRLF or a lone CR. A cue whose timing line is malformed
(``00:00:03,000 -> 00:00:04,000``) or missing is still translated: its number and anything that
looks like a timing are kept as they are, the rest of its lines are its text. Players may skip such
a cue, but its English is where the French was.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from translate.document import Block, Span, SourceDocument
from translate.errors import InputError
from translate.formats.base import TextFormat, replace_blocks, trimmed_block
from translate.formats.encoding import decode_bytes

_TIMING = re.compile(r"^[ \t]*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}[ \t]*-->[ \t]*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}.*$", re.MULTILINE)
_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")
_CHUNK_BREAK = re.compile(r"(?:\r?\n[ \t]*){2,}")
_LONE_CR = re.compile(r"\r(?!\n)")
_NUMBER_LINE = re.compile(r"[ \t]*\d+[ \t]*")
# A line made of times, digits and arrow-like punctuation: a malformed timing, kept as it is.
_TIMING_LIKE = re.compile(r"[ \t\d:,.>\-–—→=|]*\d:\d[ \t\d:,.>\-–—→=|]*")


class SubRipFormat(TextFormat):
    name = "srt"
    suffix = ".srt"
    suffixes = (".srt",)

    def read(self, data: bytes, source: str, *, sha256: str) -> SourceDocument:
        text, encoding = decode_bytes(data, source)
        # A lone CR (old Mac files) is a line break: the cues are found in a copy with each one made LF,
        # which keeps every offset; the document keeps its own line endings.
        lines = _LONE_CR.sub("\n", text)
        blocks = cue_text_blocks(lines)
        if text.strip() and not _TIMING.search(lines):
            raise InputError(f"{source}: not a SubRip file (no cue timing line such as 00:00:01,000 --> 00:00:02,000)")
        return SourceDocument(source, text, sha256, encoding, blocks)

    def write(self, document: SourceDocument, segments: list[Span]) -> str:
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
    blocks.extend(_cues_without_valid_timing(text, timings))
    return sorted(blocks, key=lambda block: block.start)


def _cues_without_valid_timing(text: str, timings: list[re.Match]) -> list[Block]:
    """Text blocks of the blank-line separated chunks that hold no valid timing line: a leading
    cue number and a timing-like line are skipped, the remaining lines are the cue's text."""
    blocks, chunk_start = [], 0
    timing_starts = [timing.start() for timing in timings]
    for chunk_end, next_start in [*((m.start(), m.end()) for m in _CHUNK_BREAK.finditer(text)), (len(text), None)]:
        first_timing = bisect_left(timing_starts, chunk_start)
        if first_timing == len(timing_starts) or timing_starts[first_timing] >= chunk_end:
            start = chunk_start
            for pattern in (_NUMBER_LINE, _TIMING_LIKE):
                line_end = text.find("\n", start, chunk_end)
                line_end = chunk_end if line_end == -1 else line_end
                line_stop = line_end - 1 if line_end > start and text[line_end - 1] == "\r" else line_end
                if pattern.fullmatch(text, start, line_stop):
                    start = min(line_end + 1, chunk_end)
            if block := trimmed_block(text, start, chunk_end):
                blocks.append(block)
        if next_start is None:
            break
        chunk_start = next_start
    return blocks
