"""The batch JSON: the contract other tools and later commands (spot-check) read."""

from __future__ import annotations

import json

# The version of what a document's outputs hold, bumped when reading or writing a format changes what the
# same input gives (2: sentence-level HTML and Markdown, open-set languages, office formats; 3: the JSON
# ``markup`` records links' href and title, and kept spans' markup, which the side-by-side page shows).
# Outputs of another version are never taken as up to date.
CONTRACT_VERSION = 3


def to_json(translated) -> dict:
    doc = translated.document
    return {
        "contract": CONTRACT_VERSION,
        "source": doc.source,
        "sha256": doc.sha256,
        "encoding": doc.encoding,
        "format": translated.format,
        "models": translated.models,
        "revisions": translated.revisions,
        "settings": translated.settings,
        "segmenter": translated.segmenter,
        "segments": [seg.to_json() for seg in translated.segments],
        # Only where they apply (a PO catalogue's kept translations, --retranslate), so other documents'
        # JSON is as before.
        **({"kept_translations": len(doc.kept_translations)} if doc.kept_translations else {}),
        **({"read_options": doc.read_options} if doc.read_options else {}),
    }


def dumps(translated) -> str:
    return json.dumps(to_json(translated), ensure_ascii=False, indent=1) + "\n"
