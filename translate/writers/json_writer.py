"""The batch JSON: the contract other tools and later commands (spot-check) read."""

from __future__ import annotations

import json


def to_json(translated) -> dict:
    doc = translated.document
    return {
        "source": doc.source,
        "sha256": doc.sha256,
        "encoding": doc.encoding,
        "format": translated.format,
        "models": translated.models,
        "revisions": translated.revisions,
        "settings": translated.settings,
        "segments": [seg.to_json() for seg in translated.segments],
    }


def dumps(translated) -> str:
    return json.dumps(to_json(translated), ensure_ascii=False, indent=1) + "\n"
