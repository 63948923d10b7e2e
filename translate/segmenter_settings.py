"""The weights of the language segmenter (``translate.segment``), one frozen dataclass: what each one
decides and why it has its value (figures in docs/segmentation-accuracy.md)."""

from __future__ import annotations

from dataclasses import dataclass

from translate.langid import LANGID_WEIGHT


@dataclass(frozen=True)
class SegmenterSettings:
    """Weights of the language decision, tuned on the even lines of ../shared/langid-dev
    (documents of benchmarks/mixed_documents.py); the odd lines are kept for checking."""

    # Cost (in nats of evidence) of changing language, by what separates the two words.
    switch_costs: tuple[float, float, float, float, float] = (2.7, 3.0, 4.2, 4.7, 20.0)
    # Evidence of one word is scaled by this (n-grams overlap, so raw sums are overconfident)...
    evidence_scale: float = 0.25
    # ...and capped, so that one odd word (a name, a typo) cannot decide alone.
    word_cap: float = 30.0
    # Weight of a word that looks like a name: capitalised inside a sentence, all capitals,
    # or with a capital inside (OpenAI, YouTube)...
    name_weight: float = 0.4
    # ...and of a capitalised word that starts a sentence (a name or not).
    initial_weight: float = 1.0
    # Weight of py3langid's evidence next to langdetect's (0: langdetect alone).
    langid_weight: float = LANGID_WEIGHT
    # Longest run of capitalised words inside a sentence that is taken as a name and attached
    # to the neighbouring language (0: never).
    name_run: int = 2
    # Cost, per word with evidence, of a language other than fr/es/en...
    other_cost: float = 1.33
    # ...and the most that one word part can favour another language over the best of fr/es/en
    # (scaled like the evidence), so that one odd word does not leave fr/es/en alone.
    other_cap: float = 23.5
    # Extra cost, per word, of a language that langdetect has no profile for (py3langid knows
    # about 110 languages, among them regional ones close to fr and es: oc, an, gl, wa...).
    rare_cost: float = 1.0
    # The most that a capitalised part (a name, a sentence's first word) or a single letter may
    # favour another language over the best of fr/es/en: names tell little of a quotation (but
    # German capitalises its nouns).
    name_other: float = 1.0
    # Recognise languages other than fr/es/en (False: every word is fr, es or en).
    open_set: bool = True
    # Cost of a switch between two plain words from one of fr/es/en to another: people switch
    # inside a sentence ("te voy a poner un restraining order"), a quotation of another language
    # comes after punctuation (switch_costs[WORD] stays high for it).
    core_word_cost: float = 10.0
    # An ordinary word inside a clause whose evidence for another of fr/es/en beats its clause's
    # language by this is a one-word insertion of that language (0: none).
    insertion_margin: float = 8.0
    # A run of at most this many words inside a clause (or ending a sentence), in the third of fr/es/en
    # in a sentence that switches between the two others, goes to those two (0: off).
    third_run: int = 2
    # In a document that switches inside its sentences, a switch between two of fr/es/en moves by up
    # to ``cut_reach`` words to where the words' own evidence puts it, when that beats the decoded cut
    # by ``cut_margin``: the decoder's cheaper switch at a comma pulls a word of the other language
    # over ("Le titre, notamment example, | we often assume": "example," is English) (0: off).
    cut_reach: int = 2
    cut_margin: float = 0.5
    # A document of at least ``mixing_words`` words with fewer than ``mixing_switches`` switches
    # between runs of two words or more inside its sentences is decoded again with the sentence-level
    # cost (switch_costs[WORD]) and no insertions: its lone cuts were loanwords (0: never).
    mixing_switches: int = 2
    mixing_words: int = 150
    # Evidence (scaled nats) of a frequent short word of translate.lexicon for its language over
    # the other two of fr/es/en ("y", "pero", "the": n-grams say little there); 0: no lexicon.
    lexicon_bonus: float = 8.0
    # How often a word is written in French, Spanish and English (wordfreq's lists): "screening",
    # "estaba" and "tard" are frequent in one of them only, which their n-grams alone do not say. Each
    # of fr/es/en gets ``frequency_weight`` (scaled nats) per unit of the Zipf scale (log10 of
    # occurrences per billion words) below the most frequent of the three, each frequency held between
    # ``frequency_floor`` and ``frequency_ceiling``: a word frequent in two of them ("managers" in
    # French and English) is no evidence between those. Not for names (0: off).
    frequency_weight: float = 4.0
    frequency_floor: float = 2.0
    frequency_ceiling: float = 4.0
    # A run of at most ``short_run`` words labelled with another language than fr/es/en keeps it
    # only when its evidence beats the best of fr/es/en by ``exotic_margin``; else it takes its
    # context's language ("sí." is not Yoruba, "Midoriya Inko" not Somali).
    short_run: int = 3
    exotic_margin: float = 12.0
    # ...except a language with a run of more than this many words elsewhere in the document
    # (0: no exception).
    established_run: int = 5
    # A run of at most ``inner_run`` words in another language inside a sentence of one of fr/es/en
    # (that language on both sides) keeps it only when its evidence beats fr/es/en by ``inner_margin``
    # (0: held to ``short_run`` and ``exotic_margin`` like any run).
    inner_run: int = 6
    inner_margin: float = 20.0
    # In a document that switches inside its sentences (``mixing_words`` words or more), one of
    # fr/es/en with less than ``rare_share`` of the letters and no run of more than this many words
    # is no language of the document: its short runs inside sentences take their context's (0: off).
    core_established_run: int = 5
    # A language of fr/es/en with less than this share of a document's letters is held to the
    # same rule (a lone "feria" in a Spanish–English conversation is not Catalan, nor "true" French).
    rare_share: float = 0.03
    # A sentence of at most ``short_run`` words whose evidence for its label beats the document's
    # language by less than this takes that language (menus, buttons, captions, "mmhm."): the
    # language the text is mostly in...
    short_margin: float = 3.0
    # ...or the declared one, not contradicted by the text: two pieces of evidence ("941 comments"
    # on a page declared en, whose n-grams look French by 8 nats, is English).
    declared_margin: float = 9.0
    # The document's language, when none is declared: the one with more than this share of its letters.
    dominant_share: float = 0.4


DEFAULT_SETTINGS = SegmenterSettings()
