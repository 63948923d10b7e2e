"""Each word's language, from its evidence: a Viterbi pass with switch costs, then rules of context.

``translate.segment`` reads the words of a document and their evidence (``evidence[i, k]``: the
relative log-likelihood of word i in ``languages[k]``: fr, es, en, then the other languages
found). Here:

1. ``decode`` (``translate.viterbi``): the most likely language of every word, paying a cost at
   each change of language that depends on what separates the two words
   (``SegmenterSettings.switch_costs``), and a lower one between two of fr/es/en inside a sentence
   (``core_word_cost``): people switch between them at any word ("te voy a poner un restraining
   order"); a quotation of another language comes after punctuation.
2. A single word at the edge of a sentence, or inside one, in another of fr/es/en needs the
   evidence of an insertion (``insertion_margin``), and has it: "compro el toilet", "so se jaló
   la cara" in a Spanish–English document; a loanword of a French page ("tweet") does not cut its
   sentence, nor does a language of fr/es/en that the document is not written in.
3. A short run (``short_run`` words) in a language other than fr/es/en, or in one of them with
   little of the document, needs strong evidence (``exotic_margin``, over fr/es/en switching among
   themselves too: "ya sabes wanna" is not Hausa), and names never earn one: "sí." is not Yoruba,
   "Midoriya Inko" not Somali, "bye" not Kinyarwanda, "Laurens van der Maaten" not Danish. For a
   language other than fr/es/en, a repeated line counts once ("Bias–variance dilemma" twice in a menu
   is not Swedish) and a run inside a sentence of fr/es/en needs more (``inner_run``,
   ``inner_margin``: "obscene, vulgar, pornographic" in an English list is not Latin).
   Whole sentences taken back from another language get their own best of fr/es/en when it beats
   their context's by an insertion's margin ("I dunno." after a Spanish line is English).
4. In a sentence that switches between two of fr/es/en, one or two words of the third found nowhere
   else in it go to those two (``third_run``): "was unique | pero nadie quiso", where "unique" looks
   French, is cut between English and Spanish.
   Then, in a document that switches inside its sentences, each such switch moves by up to
   ``cut_reach`` words to where the words' own evidence puts it ("notamment example, | we often":
   the decoder's cheaper switch at the comma had taken the English "example," into French).
5. The document's language (declared and not contradicted by the text, or the language of most
   of its letters) takes the short sentences whose own evidence is weak: menus, buttons,
   captions, "941 comments" on a page declared English.
"""

from __future__ import annotations

from collections.abc import Sequence

from translate.viterbi import decode

PARAGRAPH, LINE, SENTENCE, CLAUSE, WORD = range(5)


def label_words(text: str, words, sentences, evidence, languages, has_evidence, blocks, settings, declared: str | None) -> list[int]:
    """The column of ``languages`` of every word (see the module's steps). ``words``: parallel
    lists ``starts``, ``ends``, ``boundaries``, ``content``; ``sentences``: (paragraph, start,
    end, first word, after the last word); ``blocks``: the Viterbi's states per paragraph."""
    core_costs = [min(cost, settings.core_word_cost) if boundary == WORD else cost
                  for boundary, cost in enumerate(settings.switch_costs)]
    labels = _label(text, words, sentences, evidence, languages, has_evidence, blocks, settings, declared,
                    core_costs, settings.insertion_margin)
    if settings.mixing_switches and len(labels) >= settings.mixing_words and core_costs != list(settings.switch_costs):
        if _clear_switches(labels, words.boundaries) < settings.mixing_switches:
            # A document of some length with (almost) no switch between two runs of words inside a
            # sentence is written one language per sentence: its lone cuts inside sentences are
            # loanwords ("contra el bullying", "une application Windows"), not switches.
            labels = _label(text, words, sentences, evidence, languages, has_evidence, blocks, settings, declared,
                            list(settings.switch_costs), 0.0)
            return labels
    if settings.cut_reach and settings.insertion_margin:
        commas = [index > 0 and text[words.ends[index - 1]:words.starts[index]].strip() == ","
                  for index in range(len(labels))]
        _refine_switch_points(labels, evidence, has_evidence, words.boundaries, commas, sentences,
                              int(settings.cut_reach), settings.cut_margin)
    return labels


def _clear_switches(labels: Sequence[int], boundaries: Sequence[int]) -> int:
    """Changes between two of fr/es/en inside a sentence, between plain words, with at least two
    words of the same language on both sides ("I told him | que no quiero"): evidence that the
    document's writer switches language inside sentences (not one inserted word)."""
    count = 0
    for index in range(2, len(labels) - 1):
        left, right = labels[index - 1], labels[index]
        if (left != right and left < 3 and right < 3 and labels[index - 2] == left and labels[index + 1] == right
                and boundaries[index - 1] == boundaries[index] == boundaries[index + 1] == WORD):
            count += 1
    return count


def _label(text, words, sentences, evidence, languages, has_evidence, blocks, settings, declared, core_costs,
           insertion_margin: float) -> list[int]:
    """``label_words`` with these switch costs between two of fr/es/en and this insertion margin."""
    boundaries = words.boundaries
    labels = decode(evidence, boundaries, settings.switch_costs, blocks, core_costs)
    if len(languages) > 3:
        _attach_lone_words(labels, words, text)
    letters = _letters_per_label(labels, words, has_evidence)
    total = sum(letters.values())
    # Languages of little of the document, and any other than fr/es/en, must earn a short run.
    rare = {label for label in range(len(languages)) if label >= 3 or letters.get(label, 0) < settings.rare_share * total}
    if settings.established_run and len(languages) > 3:
        # ...unless the document has a longer run of it: an Italian pair of words in a document
        # that quotes Italian sentences is Italian, where "sí." in a Spanish–English one is not Yoruba.
        rare -= {label for label in _established_languages(labels, has_evidence, settings.established_run) if label >= 3}
    _settle_lone_edge_words(labels, evidence, has_evidence, sentences, insertion_margin)
    if insertion_margin:
        # Only words of a language the document is written in: a loanword of a French page ("tweet",
        # "start-up") does not cut its sentence in three.
        from translate.lexicon import NOT_INSERTED

        insertable = [ordinary and text[start:end].lower() not in NOT_INSERTED
                      for ordinary, start, end in zip(words.content, words.starts, words.ends)]
        _insert_words(labels, evidence, has_evidence, insertable, boundaries, rare, insertion_margin, words)
    if rare & set(letters):
        latin = [text[start] < "\u0250" for start in words.starts]  # Latin letters (and digits)
        # In a document whose writer switches inside sentences, one of fr/es/en with little of it and
        # no run of more than ``core_established_run`` words is no language of the document: its short
        # runs inside sentences ("espérate", "chévere" look French in a Spanish–English conversation)
        # take their context's language, whatever their evidence.
        foreign = (_unestablished_core(labels, has_evidence, rare, settings.core_established_run)
                   if insertion_margin and settings.core_established_run and len(labels) >= settings.mixing_words
                   else set())
        _settle_short_runs(labels, evidence, has_evidence, rare, latin, text, words, settings, core_costs, foreign)
    if settings.third_run:
        established = _established_languages(labels, has_evidence, settings.core_established_run)
        _settle_third_language(labels, evidence, boundaries, sentences, settings.third_run, established)
    letters = _letters_per_label(labels, words, has_evidence)
    prior, prior_declared = _document_language(letters, languages, has_evidence, declared, settings)
    if prior is not None:
        margin = settings.declared_margin if prior_declared else settings.short_margin
        _settle_short_sentences(labels, evidence, has_evidence, sentences, prior, margin, settings)
    return labels


def _attach_lone_words(labels: list[int], words, text: str) -> None:
    """A single word of Latin script alone in another language than fr/es/en, between words of
    fr/es/en (a link text, a one-word heading: "lien" looks Latvian), takes the language of the
    word before it (or after it, at the start). One word alone is not a quotation."""
    count = len(labels)
    for index, label in enumerate(labels):
        if label < 3:
            continue
        before = labels[index - 1] if index else None
        after = labels[index + 1] if index + 1 < count else None
        if (before is None or before < 3) and (after is None or after < 3) and (before, after) != (None, None):
            if text[words.starts[index]] < "\u0250":  # Latin letters (and digits)
                labels[index] = before if before is not None else after


def _settle_third_language(labels: list[int], evidence, boundaries, sentences, longest: int,
                           established: set[int]) -> None:
    """A run of at most ``longest`` words inside a clause of a sentence that switches between two of
    fr/es/en (or ending the clause: "queda en el aire, y"), in the third of them and found nowhere else
    in the sentence, goes to its neighbours: it is a word of the switch that looks like the third
    language ("ha tenido | that these", where "tenido" looks French), not a third language. Between
    two runs of different languages it is cut where the evidence of those two says. So does such a
    run that ends the sentence after the switch ("...in the public sector | procurement processes.":
    the last two words look French), which takes the language before it, unless that language is
    ``established`` in the document and the sentence seemed to switch among three only because of a
    one-word insertion ("el pas | ... coffee break.", where "pas" looks French)."""
    for _, _, _, first, after in sentences:
        if len({label for label in labels[first:after] if label < 3}) < 3:
            continue
        switched = _switched_languages(labels, first, after)
        index = first + 1
        while index < after:
            label = labels[index]
            end = index + 1
            while end < after and labels[end] == label:
                end += 1
            if end >= after:
                # The sentence's last run, one or two words of the third language: the words before's.
                before = labels[index - 1]
                if (label < 3 and before < 3 and before != label and end - index <= longest
                        and all(boundaries[k] >= CLAUSE for k in range(index, end))
                        and label not in labels[first:index]
                        and (len(switched - {label}) == 2 or label not in established)):
                    labels[index:end] = [before] * (end - index)
                break
            before, following = labels[index - 1], labels[end]
            if (label < 3 and before < 3 and following < 3 and before != label != following and end - index <= longest
                    and all(boundaries[k] == WORD for k in range(index, end)) and boundaries[end] >= CLAUSE
                    and label not in labels[first:index] and label not in labels[end:after]):
                # Cut where the two context languages' evidence says (no cut when they are one language).
                best_cut, best, running = end, 0.0, 0.0
                if before != following:
                    best_cut = index
                    for position in range(index, end):
                        running += float(evidence[position, before] - evidence[position, following])
                        if running > best:
                            best_cut, best = position + 1, running
                labels[index:best_cut] = [before] * (best_cut - index)
                labels[best_cut:end] = [following] * (end - best_cut)
            index = end


def _switched_languages(labels: Sequence[int], first: int, after: int) -> set[int]:
    """The languages of fr/es/en that words first..after-1 switch between: a one-word insertion inside
    a run of another language ("que tiene el pas internacionalmente", where "pas" looks French) is
    not one of them."""
    return {labels[index] for index in range(first, after)
            if labels[index] < 3 and not (first < index < after - 1 and labels[index - 1] == labels[index + 1])}


def _refine_switch_points(labels: list[int], evidence, has_evidence, boundaries, commas, sentences, reach: int,
                          margin: float) -> None:
    """Each change between two of fr/es/en inside a sentence moves by at most ``reach`` words (a word
    of each language stays on its side, and a run of one word, an insertion, does not grow) to where
    the moved words' own evidence for the two languages puts it, when that beats the decoded cut by
    ``margin``. The decoder gives which two
    languages meet; where exactly is the words' business: a switch costs less at a comma, so the
    decoder cuts there and takes a word of the other language with it ("Le titre, notamment
    example, | we often assume": "example," is English). Only in a document whose writer switches
    between plain words more often than at punctuation: where switches come at punctuation
    ("Vaya pinta, | de fortes collaborations"), the comma is the better clue than a word's
    n-grams, so a cut at punctuation stays; so does one at any other punctuation than a comma
    (``commas[i]``: only a comma between words i-1 and i), a quotation's or a bracket's."""
    plain = punctuated = 0
    for _, _, _, first, after in sentences:
        for index in range(first + 1, after):
            if labels[index - 1] != labels[index] and labels[index - 1] < 3 and labels[index] < 3:
                if boundaries[index] == WORD:
                    plain += 1
                else:
                    punctuated += 1
    at_punctuation = margin if plain > punctuated else float("inf")
    for _, _, _, first, after in sentences:
        index = first + 1
        while index < after:
            left, right = labels[index - 1], labels[index]
            if left == right or left >= 3 or right >= 3:
                index += 1
                continue
            start, end = index - 1, index + 1  # the two runs: [start, index) and [index, end)
            while start > first and labels[start - 1] == left:
                start -= 1
            while end < after and labels[end] == right:
                end += 1
            best_cut, best = index, (margin if boundaries[index] == WORD
                                     else at_punctuation if commas[index] else float("inf"))
            # A run of one word is an insertion: how far it reaches is the insertion rule's decision.
            lowest = max(start, index - reach - 1) if end - index > 1 else index - 1
            highest = min(end, index + reach + 1) if index - start > 1 else index + 1
            # Earlier: the last words of the left run go to the right language...
            gain = 0.0
            for cut in range(index - 1, lowest, -1):
                if has_evidence[cut]:
                    gain += float(evidence[cut, right] - evidence[cut, left])
                if gain > best:
                    best_cut, best = cut, gain
            # ...or the first words of the right run to the left one.
            gain = 0.0
            for cut in range(index + 1, highest):
                if has_evidence[cut - 1]:
                    gain += float(evidence[cut - 1, left] - evidence[cut - 1, right])
                if gain > best:
                    best_cut, best = cut, gain
            if best_cut < index:
                labels[best_cut:index] = [right] * (index - best_cut)
            elif best_cut > index:
                labels[index:best_cut] = [left] * (best_cut - index)
            index = end


def _settle_lone_edge_words(labels: list[int], evidence, has_evidence, sentences, margin: float) -> None:
    """A single word at the start or end of a sentence in another of fr/es/en than the rest of
    the sentence keeps it only with the evidence of an insertion (``margin``): the Viterbi gave
    it one switch where an insertion inside the sentence pays two ("unique", "source" and
    "route" look French at the end of an English sentence)."""
    for _, _, _, first, after in sentences:
        rows = [i for i in range(first, after) if has_evidence[i]]
        if len(rows) < 3:
            continue
        for edge, neighbour in ((rows[0], rows[1]), (rows[-1], rows[-2])):
            label, other = labels[edge], labels[neighbour]
            if label == other or label >= 3 or other >= 3:
                continue
            if evidence[edge, label] - evidence[edge, other] < margin:
                span = range(first, neighbour) if edge == rows[0] else range(neighbour + 1, after)
                for index in span:
                    labels[index] = other


def _insert_words(labels: list[int], evidence, has_evidence, content, boundaries, excluded, margin: float,
                  words) -> None:
    """A single ordinary word inside a clause of fr, es or en (or first in its sentence) whose
    evidence for another of them (not ``excluded``) beats its clause's language by ``margin`` is
    in that language: an inserted noun ("compro el toilet"), which the Viterbi would give two
    switches, or a word that opens a sentence in another ("um qué pena", "so se jaló la cara").
    Between French and Spanish, a word both write ("pas", "mes", "aire") stays in its sentence:
    their n-grams tell these two close languages apart poorly on one word."""
    import numpy as np

    count = len(labels)
    if not count:
        return
    core = evidence[:, :3].copy()
    # Only the languages of the document compete: "site" looks French, but in a Spanish–English
    # document it is English or Spanish.
    core[:, [column for column in range(3) if column in excluded]] = -np.inf
    best = core.argmax(axis=1)
    strong = (core.max(axis=1) - np.take_along_axis(evidence, np.asarray(labels, dtype=np.intp)[:, None], axis=1)[:, 0]) >= margin
    for index in np.flatnonzero(strong).tolist():
        label = labels[index]
        if label >= 3 or not content[index] or not has_evidence[index]:
            continue
        # The word before is in the same clause and language...
        inside = index and boundaries[index] == WORD and labels[index - 1] == label
        # ...or the first word of a sentence, before a word of its clause's language ("um qué pena").
        first = (boundaries[index] <= SENTENCE and index + 1 < count and boundaries[index + 1] == WORD
                 and labels[index + 1] == label)
        if not (inside or first):
            continue
        if index + 1 < count and boundaries[index + 1] == WORD and labels[index + 1] != label:
            continue
        new = int(best[index])
        if new not in excluded and not ({label, new} == {0, 1} and _french_and_spanish_word(words, index)):  # fr 0, es 1
            labels[index] = new


def _french_and_spanish_word(words, index: int) -> bool:
    """Whether word ``index`` is written in French and in Spanish (all its letter parts listed by
    wordfreq for both: "pas", "mes", "la")."""
    from bisect import bisect_left, bisect_right

    from translate.lexicon import zipf_frequencies

    parts = words.parts[bisect_left(words.owners, index):bisect_right(words.owners, index)]
    return bool(parts) and all(french and spanish for french, spanish, _ in map(zipf_frequencies, parts))


def _established_languages(labels: Sequence[int], has_evidence, longest: int) -> set[int]:
    """Languages (any column) with a run of more than ``longest`` words with evidence."""
    return {label for label, run in _longest_runs(labels, has_evidence).items() if run > longest}


def _unestablished_core(labels: Sequence[int], has_evidence, rare: set[int], longest: int) -> set[int]:
    """The ``rare`` ones of fr/es/en (columns 0-2) with no run of more than ``longest`` words with evidence."""
    runs = _longest_runs(labels, has_evidence)
    return {column for column in range(3) if column in rare and runs.get(column, 0) <= longest}


def _longest_runs(labels: Sequence[int], has_evidence) -> dict[int, int]:
    """Each label's longest run, counted in words with evidence."""
    runs: dict[int, int] = {}
    run_label, run = -1, 0
    for label, counted in zip(labels, has_evidence):
        if label != run_label:
            run_label, run = label, 0
        run += counted
        if run > runs.get(label, 0):
            runs[label] = run
    return runs


def _letters_per_label(labels, words, has_evidence) -> dict[int, int]:
    """Letters (characters of words with evidence) labelled with each column."""
    letters: dict[int, int] = {}
    for label, start, end, found in zip(labels, words.starts, words.ends, has_evidence):
        if found:
            letters[label] = letters.get(label, 0) + end - start
    return letters


# Lower-case particles of personal names ("Laurens van der Maaten", "Otto von Bismarck", "Ibn al Haytham").
_NAME_PARTICLES = frozenset({"van", "der", "den", "de", "von", "zu", "da", "di", "du", "del", "della", "dos", "das",
                             "ten", "ter", "bin", "ibn", "al"})


def _name_particle(text: str, words, index: int) -> bool:
    """Whether word ``index`` is a particle of a name: a ``_NAME_PARTICLES`` word joined by spaces,
    through other particles, to a capitalised word ("van" and "der" in "Laurens van der Maaten", and in
    "Maaten, Laurens van der;"). It is part of the name: no evidence that the name is in another language."""
    starts, ends, boundaries = words.starts, words.ends, words.boundaries

    def particle(i: int) -> bool:
        return text[starts[i]:ends[i]] in _NAME_PARTICLES

    if not particle(index):
        return False
    left = index
    while left > 0 and boundaries[left] == WORD and particle(left - 1):
        left -= 1
    if left > 0 and boundaries[left] == WORD and text[starts[left - 1]].isupper():
        return True
    right = index
    while right + 1 < len(starts) and boundaries[right + 1] == WORD and particle(right + 1):
        right += 1
    return right + 1 < len(starts) and boundaries[right + 1] == WORD and text[starts[right + 1]].isupper()


def _settle_short_runs(
    labels: list[int], evidence, has_evidence, rare: set[int], latin, text: str, words, settings,
    core_costs: Sequence[float], foreign: set[int] = frozenset(),
) -> None:
    """A run of at most ``short_run`` words with evidence labelled with a ``rare`` language (any
    other than fr/es/en, or one of them with little of the document), whose evidence beats the
    best of the other languages of fr/es/en by less than ``exotic_margin``, takes the language of
    the word before it (or after it), or the best of those when it stands alone. Only runs of
    ``latin`` words (Latin script): a Japanese line is Japanese, however short. A run of names
    only (with their particles: "Laurens van der Maaten") never keeps a language other than fr/es/en;
    for one of those, a word repeated in the run counts once, its rival is also the words' fr/es/en
    switching among themselves at ``core_costs``, and a run inside a sentence of one of fr/es/en is held
    to ``inner_run`` and ``inner_margin`` (``_exotic_bounds``). A whole sentence in one of fr/es/en is
    left to the document's language ("Recent Posts" on a French page),
    unless the document is in the two others (a short French-looking reply in a Spanish–English conversation).
    A run inside a sentence in one of ``foreign`` (fr/es/en, but no language of the document) never keeps it."""
    boundaries, content = words.boundaries, words.content
    usual = [column for column in range(3) if column not in rare] or [0, 1, 2]
    # In a document in two of fr/es/en, the third needs strong evidence even for a whole sentence.
    bilingual = len(usual) == 2
    count = len(labels)
    index = 0
    while index < count:
        label = labels[index]
        end = index + 1
        while end < count and labels[end] == label:
            end += 1
        whole = boundaries[index] < CLAUSE and (end == count or boundaries[end] < CLAUSE)
        if label in rare and all(latin[index:end]) and not (whole and label < 3 and not bilingual):
            rows = [i for i in range(index, end) if has_evidence[i]]
            particle = dict.fromkeys(range(index, end), False)
            if label >= 3:
                rows = _distinct_words(rows, text, words)
                particle = {i: _name_particle(text, words, i) for i in range(index, end)}
            longest, needed = _exotic_bounds(labels, boundaries, index, end, settings)
            # Particles of a name ("van der") are part of it, not words of their own. Capitalised words
            # only (names: "Tsukauchi Naomasa", "Laurens van der Maaten", "San Diego Union Tribune Logo")
            # never earn another language, however many.
            if sum(not particle[i] for i in rows) <= longest or (
                    label >= 3 and not any(content[i] and not particle[i] for i in rows)):
                ordinary = {_word_form(text, words, i) for i in rows if content[i] and not particle[i]}
                sums = evidence[rows][:, usual].sum(axis=0)
                # Another language must beat every one of fr/es/en, and fr/es/en switching among themselves
                # as inside a sentence: "mami?" in an English conversation is Spanish before it is Italian,
                # "ya sabes wanna" Spanish and English before it is Hausa.
                if label >= 3:
                    rivals = max(evidence[rows][:, :3].sum(axis=0).max(),
                                 _switching_score(evidence, rows, boundaries, core_costs))
                else:
                    rivals = sums.max()
                margin = float(evidence[rows, label].sum() - rivals) if rows else 0.0
                # Nor does one ordinary word, alone or with names in a part of a sentence: the n-grams of
                # a single word cannot tell a word of another language from a user's or a site's name
                # ("zenobian" eu, "kotaku" id, "Alaskan halibut, caught by..." tl). A line of two words
                # ("Kreyòl ayisyen" in a menu of languages) keeps it; so does a language the document has a
                # longer run of (it is not ``rare``).
                single = len(ordinary) == 1 and (not whole or len(rows) <= 1)
                if margin < needed or (label >= 3 and (not ordinary or single)) or (label in foreign and not whole):
                    before = labels[index - 1] if index else None
                    after = labels[end] if end < count else None
                    if before is not None and before not in rare:
                        new = before
                    elif after is not None and after not in rare:
                        new = after
                    else:
                        new = usual[int(sums.argmax())] if rows else usual[0]
                    if label >= 3 and whole and rows and new in usual and (
                            float(sums.max() - sums[usual.index(new)]) >= settings.insertion_margin):
                        # Whole sentences whose own evidence for one of fr/es/en beats their context's by
                        # that of an insertion take it ("I dunno." after a Spanish line is English, not Spanish).
                        new = usual[int(sums.argmax())]
                    labels[index:end] = [new] * (end - index)
        index = end


def _switching_score(evidence, rows: Sequence[int], boundaries: Sequence[int], core_costs: Sequence[float]) -> float:
    """The evidence of the words ``rows`` for their best labels of fr/es/en, switching between those
    at ``core_costs`` as the decoder does, less the costs of the switches."""
    if not rows:
        return 0.0
    steps = [boundaries[row] for row in rows]
    path = decode(evidence[rows][:, :3], steps, core_costs, [(0, len(rows), [0, 1, 2])])
    score = sum(float(evidence[row, label]) for row, label in zip(rows, path))
    return score - sum(core_costs[steps[k]] for k in range(1, len(rows)) if path[k] != path[k - 1])


def _word_form(text: str, words, index: int) -> str:
    """Word ``index`` as written, lower-cased: what makes two words the same word."""
    return text[words.starts[index]:words.ends[index]].lower()


def _distinct_words(rows: Sequence[int], text: str, words) -> list[int]:
    """``rows`` less the words of a form (lower-cased text) seen before in them: a line repeated in a
    menu ("Bias–variance dilemma" twice) is no more evidence of a language than the line alone."""
    seen: set[str] = set()
    kept = []
    for row in rows:
        form = _word_form(text, words, row)
        if form not in seen:
            seen.add(form)
            kept.append(row)
    return kept


def _exotic_bounds(labels: Sequence[int], boundaries: Sequence[int], index: int, end: int, settings) -> tuple[int, float]:
    """Longest run (in words) held to a margin, and that margin, for the run ``labels[index:end]``:
    ``short_run`` words and ``exotic_margin``; but a run of another language than fr/es/en inside a
    sentence, with one of fr/es/en on both sides ("... navigation systems, and lunar orbit maneuvers,
    are all ..."), is a few words of that sentence unless its evidence is strong: up to ``inner_run``
    words need ``inner_margin`` (a quotation inside a sentence, "mkono wa damu", has it)."""
    if not settings.inner_run or labels[index] < 3 or not index or boundaries[index] < CLAUSE or labels[index - 1] >= 3:
        return settings.short_run, settings.exotic_margin
    # The next word of the sentence in fr/es/en, past other short runs ("defamatory, obscene, vulgar,
    # pornographic, profane" come out in three languages).
    after = end
    while after < len(labels) and boundaries[after] >= CLAUSE and labels[after] >= 3:
        after += 1
    if after < len(labels) and boundaries[after] >= CLAUSE and labels[after] == labels[index - 1]:
        return max(settings.inner_run, settings.short_run), max(settings.inner_margin, settings.exotic_margin)
    return settings.short_run, settings.exotic_margin


def _document_language(letters: dict[int, int], languages, has_evidence, declared: str | None, settings) -> tuple[int | None, bool]:
    """Column of the document's language, and whether it is the declared one: the declared one
    unless the text says otherwise (less than a quarter of its letters in it, in a document of
    20 words or more), else the language of more than ``dominant_share`` of its letters, else
    None."""
    total = sum(letters.values())
    primary = (declared or "").strip().replace("_", "-").split("-")[0].lower()
    if primary in languages:
        column = languages.index(primary)
        if sum(has_evidence) < 20 or letters.get(column, 0) >= 0.25 * total:
            return column, True
    if not total:
        return None, False
    best = max(letters, key=letters.__getitem__)
    return (best if letters[best] > settings.dominant_share * total else None), False


def _settle_short_sentences(labels, evidence, has_evidence, sentences, prior: int, margin: float, settings) -> None:
    """A sentence of at most ``short_run`` words with evidence takes the document's language
    ``prior`` when its own evidence for its labels beats it by less than ``margin``: menus,
    buttons, captions, names, "mmhm."."""
    for _, _, _, first, after in sentences:
        rows = [i for i in range(first, after) if has_evidence[i]]
        if not rows or len(rows) > settings.short_run or all(labels[i] == prior for i in rows):
            continue
        own = sum(float(evidence[i, labels[i]]) for i in rows)
        if own - float(evidence[rows, prior].sum()) < margin:
            labels[first:after] = [prior] * (after - first)


def attach_names(content: Sequence[bool], labels: Sequence[int], longest: int) -> list[int]:
    """A run of a sentence with only capitalised words or numbers (names, mostly) takes the
    language of the next run with ordinary words, or else of the previous one."""
    runs: list[list[int]] = []  # [first, end, label]
    for index, label in enumerate(labels):
        if runs and runs[-1][2] == label:
            runs[-1][1] = index + 1
        else:
            runs.append([index, index + 1, label])
    if len(runs) == 1:
        return list(labels)
    has_content = [any(content[first:end]) for first, end, _ in runs]
    if not any(has_content):
        return list(labels)
    result = list(labels)
    for i, (first, end, _) in enumerate(runs):
        if has_content[i] or end - first > longest:
            continue
        after = next((runs[j][2] for j in range(i + 1, len(runs)) if has_content[j]), None)
        before = next((runs[j][2] for j in range(i - 1, -1, -1) if has_content[j]), None)
        result[first:end] = [after if after is not None else before] * (end - first)
    return result
