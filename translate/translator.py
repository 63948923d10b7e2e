"""Translate stage: many texts -> hypotheses, through an engine.

Identical texts are translated once; the texts of a whole run are sorted by length and
cut into batches bounded both in spans and in padded tokens (spans x longest span), so
each batch pads little and long spans do not make huge batches; a text longer than the
model's input limit is split at clause, then word boundaries and the pieces' translations
joined, so nothing is truncated.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Sequence

from translate.engines.base import Engine, Hypothesis

# Leave room under the model's limit: tokenisation of a piece alone can differ slightly from inside a text.
_LIMIT_MARGIN = 2
_CLAUSE_BREAK = re.compile(r"(?<=[,;:—–)\]»”])\s+|\s+(?=[—–(\[«“])")
_WORD_BREAK = re.compile(r"\s+")

ProgressCallback = Callable[[int, int], None]  # (pieces done, pieces in all)
TranslatedCallback = Callable[[list[tuple[str, Hypothesis]]], None]  # texts completed by the last batch


def translate_texts(
    engine: Engine,
    texts: Sequence[str],
    *,
    batch_size: int | None = None,
    batch_tokens: int | None = None,
    on_progress: ProgressCallback | None = None,
    on_translated: TranslatedCallback | None = None,
) -> list[Hypothesis]:
    """One hypothesis per text, in order; ``on_progress(done, total)`` counts unique pieces translated.

    ``batch_size`` (spans) and ``batch_tokens`` (padded input tokens) bound each model call;
    None takes the engine's own preference.
    ``on_translated(pairs)`` is called after each model batch with the ``(text, hypothesis)``
    of the texts that batch completed, so a caller can save work as it is done.
    """
    unique = list(dict.fromkeys(texts))
    limit = engine.max_input_tokens - _LIMIT_MARGIN
    counted = dict(zip(unique, engine.count_tokens(unique)))
    fitting = {text for text, n in counted.items() if n <= limit}
    pieces_of = {text: [text] if text in fitting else split_to_fit(text, engine) for text in unique}
    all_pieces = list(dict.fromkeys(piece for pieces in pieces_of.values() for piece in pieces))
    # Tokenise again only the pieces of split texts (most texts are their own single piece).
    new_pieces = [piece for piece in all_pieces if piece not in counted]
    lengths = {**counted, **dict(zip(new_pieces, engine.count_tokens(new_pieces)))} if new_pieces else counted
    by_length = sorted(all_pieces, key=lambda piece: (lengths[piece], piece))

    batch_size = batch_size or engine.batch_size
    batch_tokens = batch_tokens or engine.batch_tokens
    done: dict[str, Hypothesis] = {}  # per piece
    joined: dict[str, Hypothesis] = {}  # per text, joined once
    waiting = {text: set(pieces) for text, pieces in pieces_of.items()} if on_translated else {}
    texts_of_piece: dict[str, list[str]] = {}
    for text, pieces in waiting.items():
        for piece in pieces:
            texts_of_piece.setdefault(piece, []).append(text)
    batches = plan_batches(by_length, [lengths[piece] for piece in by_length], batch_size, batch_tokens,
                           batch_multiple=engine.batch_multiple)
    # The engine may decode several batches at once (as many as its threads allow); results come in order.
    for batch, hypotheses in zip(batches, engine.translate_batches(batches)):
        done.update(zip(batch, hypotheses))
        if on_progress:
            on_progress(len(done), len(by_length))
        if on_translated:
            completed = []
            for piece in batch:
                for text in texts_of_piece.get(piece, ()):
                    waiting[text].discard(piece)
                    if not waiting[text]:
                        joined[text] = join_hypotheses([done[p] for p in pieces_of[text]])
                        completed.append((text, joined[text]))
            on_translated(completed)
    for text in unique:
        if text not in joined:
            joined[text] = join_hypotheses([done[piece] for piece in pieces_of[text]])
    return [joined[text] for text in texts]


def plan_batches(items: Sequence[str], lengths: Sequence[int], max_items: int, max_tokens: int,
                 batch_multiple: int = 1) -> list[list[str]]:
    """Cut ``items`` (sorted by ``lengths``, ascending) into consecutive batches of at most ``max_items``
    whose padded size (items x longest) stays within ``max_tokens``; a single longer item goes alone.

    With ``batch_multiple`` above 1, the items are shared evenly (sizes differing by one at most) among
    a number of batches that is a multiple of it, or of 2, when every share then stays within both
    limits and at least half of ``max_items``: an engine that decodes several batches at once
    (CTranslate2's replicas) then has no replica idle while another decodes a last, lone batch. That is
    so where the span bound sets the batches (beam search). Where the padded-token bound does (greedy,
    long spans), even shares of spans would have very unequal costs, so the batches stay as full as the
    limits allow, as CTranslate2's own batching by tokens makes them. The plan depends only on the
    items and these limits, never on how many batches are decoded at once, so translations do not either.
    """
    shares = _even_shares(items, lengths, max_items, max_tokens, batch_multiple)
    if shares is not None:
        return shares
    batches: list[list[str]] = []
    current: list[str] = []
    longest = 0
    for item, length in zip(items, lengths):
        if current and (len(current) >= max_items or max(longest, length) * (len(current) + 1) > max_tokens):
            batches.append(current)
            current, longest = [], 0
        current.append(item)
        longest = max(longest, length)
    if current:
        batches.append(current)
    return batches


def _even_shares(items: Sequence[str], lengths: Sequence[int], max_items: int, max_tokens: int,
                 multiple: int) -> list[list[str]] | None:
    """The even shares of ``plan_batches``, or None where there are none to make."""
    if multiple <= 1 or not items:
        return None
    count = len(items)
    fewest = -(-count // max_items)  # the batches the span bound alone makes
    for step in dict.fromkeys((multiple, 2)):
        groups = -(-fewest // step) * step  # ceiling to a multiple of step
        if 2 * (count // groups) < max_items:  # shares under half full
            continue
        cuts = [count * k // groups for k in range(groups + 1)]
        bounds = list(zip(cuts, cuts[1:]))
        # Sorted by length, a share's padded size is its size times its last item's length.
        if all((stop - start) * lengths[stop - 1] <= max_tokens for start, stop in bounds):
            return [list(items[start:stop]) for start, stop in bounds]
        return None
    return None


def split_to_fit(text: str, engine: Engine) -> list[str]:
    """``text`` as pieces that each fit the engine's input limit (usually just ``[text]``)."""
    limit = engine.max_input_tokens - _LIMIT_MARGIN
    if engine.count_tokens([text])[0] <= limit:
        return [text]
    return _split(text, lambda piece: engine.count_tokens([piece])[0] <= limit, (_CLAUSE_BREAK, _WORD_BREAK))


def join_hypotheses(parts: list[Hypothesis]) -> Hypothesis:
    """Join the translations of a split text; its score is the token-weighted mean of the parts'."""
    if len(parts) == 1:
        return parts[0]
    text = " ".join(p.text.strip() for p in parts if p.text.strip())
    scored = [p for p in parts if p.score is not None and p.target_tokens]
    tokens = sum(p.target_tokens for p in scored)
    score = sum(p.score * p.target_tokens for p in scored) / tokens if tokens else None
    joined = Hypothesis(text, score, sum(p.target_tokens for p in parts))
    if all(p.attention is not None and p.source_pieces is not None and p.target_pieces is not None for p in parts):
        _join_attention(joined, parts)
    return joined


def _join_attention(joined: Hypothesis, parts: list[Hypothesis]) -> None:
    """Pieces of the parts in order, and their attentions as blocks on the diagonal.

    A part's target pieces attend only to its own source pieces, so the aligner sees the
    joined span as one text and its offsets hold for the joined translation.
    """
    joined.source_pieces = [piece for p in parts for piece in p.source_pieces]
    joined.target_pieces = [piece for p in parts for piece in p.target_pieces]
    width = len(joined.source_pieces)
    zero = array("f", [0.0])
    rows = []
    before = 0
    for p in parts:
        after = width - before - len(p.source_pieces)
        rows.extend(zero * before + array("f", row) + zero * after for row in p.attention)
        before += len(p.source_pieces)
    joined.attention = rows


def _split(text: str, fits: Callable[[str], bool], breaks: Sequence[re.Pattern]) -> list[str]:
    """Greedily pack the largest runs of units (clauses, else words) that fit; split further where needed."""
    if fits(text):
        return [text]
    if not breaks:
        return _split_characters(text, fits)
    units = [u for u in _split_keep(text, breaks[0]) if u.strip()]
    if len(units) == 1:
        return _split(text, fits, breaks[1:])
    pieces: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current} {unit}" if current else unit
        if fits(candidate):
            current = candidate
            continue
        if current:
            pieces.append(current)
        if fits(unit):
            current = unit
        else:
            pieces.extend(_split(unit, fits, breaks[1:]))
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _split_keep(text: str, pattern: re.Pattern) -> list[str]:
    return [piece.strip() for piece in pattern.split(text)]


def _split_characters(text: str, fits: Callable[[str], bool]) -> list[str]:
    # A single "word" longer than the model's limit (a URL, a hash): cut it in halves until it fits.
    if fits(text) or len(text) <= 1:
        return [text]
    middle = len(text) // 2
    return _split_characters(text[:middle], fits) + _split_characters(text[middle:], fits)
