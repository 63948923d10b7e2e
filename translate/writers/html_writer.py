"""Side-by-side HTML: one self-contained page per document, rendered with autoescaping Jinja2."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("translate", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_document(translated) -> str:
    paragraphs: dict[int, list[tuple[int, object]]] = {}
    for index, seg in enumerate(translated.segments):
        paragraphs.setdefault(seg.paragraph, []).append((index, seg))
    return _environment().get_template("document.html.j2").render(
        source=translated.document.source,
        paragraphs=[rows for _, rows in sorted(paragraphs.items())],
        models=translated.models,
    )
