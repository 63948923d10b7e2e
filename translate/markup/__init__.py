"""Inline markup across whole sentences: the plain text a reader sees, and markup put back after translation.

HTML and Markdown put links, emphasis and code inside sentences. The formats read each run of inline
content (a paragraph, a heading, a list item, an attribute value) as one *flow*: its plain text (markup
removed, character references and escapes decoded, HTML white space collapsed) with, for every plain
character, the source range it comes from, and its inline *elements* as ranges over that plain text. The
segmenter and the model see whole sentences of plain text. After translation, ``transfer_ranges`` moves
each element onto the English words aligned with its source words (the approach of Firefox's Bergamot
translator), and ``render_document`` writes the English flow back with the element's own markup around them.

- Text that is kept (English or without language) is written back byte for byte from the source.
- A *verbatim* element (code, ``translate="no"``, a URL) is given to the model as it is, in its sentence,
  and written back from the source in place of the English words aligned with it: the sentence is not
  cut there, and the content is never altered.
- A *void* element (``<br>``, ``<img>``, a comment, a Markdown hard break) is a point in the text.

Modules (each imports only those above it): ``transfer`` (element ranges carried through a word
alignment), ``flows`` (the plain text of inline content and its elements, as the readers build it),
``render`` (the English flows written back with their markup). Segmenting the plain text is
``translate.segment.segment_source``'s job; this package does not import the segmenter.
"""

from translate.markup.flows import (
    INLINE, VERBATIM, VOID, Element, Flow, PlainBuilder, PlainText, TaggedFlows, join_plain, link_attributes,
)
from translate.markup.render import FlowWriter, render_document, render_parts
from translate.markup.transfer import Range, nesting_parents, transfer_ranges

__all__ = [
    "INLINE", "VERBATIM", "VOID", "Element", "Flow", "FlowWriter", "PlainBuilder", "PlainText", "Range", "TaggedFlows",
    "join_plain", "link_attributes", "nesting_parents", "render_document", "render_parts",
    "transfer_ranges",
]
