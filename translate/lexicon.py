"""Words of French, Spanish and English: evidence that character n-grams miss.

Four sources: the lists below, Spanish verbs with pronouns written onto them
(``spanish_verb_with_pronouns``), how often each word is written in each language
(``frequency_evidence``, from wordfreq's lists), and the same for a word whose accented letter
was lost ("tambin": ``restored_frequencies``, ``restored_language``).

Character n-gram models (langdetect's profiles, py3langid) tell little from a word of one to
four letters: "y", "su", "pero", "sí", "the", "and" are scored by a handful of n-grams shared
with many languages, so "sí." looks Yoruba and "y todo" Slovak. People switching language
inside a sentence ("pero she has like una mala fama") switch exactly at such words. These
lists (written for this project from common knowledge of the three languages: function
words, pronouns, frequent verbs forms, interjections of chat and speech) give each listed
word a fixed bonus for its language in the segmenter. A word listed for two of the
languages ("que", "la", "y" in French and Spanish; "no" in Spanish and English) is evidence
against the third only ("un" is left Spanish: in a Spanish sentence of shared words, "me compré
un hotdog en la playa", it is the word that tells Spanish from French); one listed for all three ("me", "a") is none, and ``_SHARED`` words,
as frequent in Portuguese or Italian ("do", "come") as in English, are left out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

_FRENCH = """
le les des du une et est je tu il elle nous vous ils elles ne pas ce cette ces dans pour avec sur au aux mais
ou où donc très plus oui non sont ont était été fait tout tous toute toutes comme aussi mon ma mes ton ta tes
son sa ses notre nos votre vos leur leurs être avoir faire dit peut bien encore déjà alors parce quand comment
pourquoi qui quoi rien jamais toujours avant après chez sans sous entre depuis moi toi lui eux ceci cela ça
voilà merci bonjour salut oui beaucoup peu trop vraiment avait avaient suis es sommes êtes étaient serait fais
fait faut veux veut voudrais pourrait que y en la se va vas mis ni on me te a entre
"""

_SPANISH = """
el los las del y que es por la en me te no a entre has he con para pero porque sí yo tú él ella nosotros ellos ellas usted ustedes su sus mi
mis tu tus lo le les se nos muy más como qué cuando cuándo donde dónde ya también bueno pues entonces está
están estoy estaba son era fue tengo tiene tienen tenía hay eso esto este esta ese esa esos esas nada todo
toda todos algo mucho mucha bien así ahora aquí allí allá verdad vamos mira oye claro hola gracias sé sabes
sabe dice dijo dije al sin sobre hasta desde ni u otro otra otros muy mucho poco cómo quién cuál porqué aunque
también siempre nunca hoy mañana ayer voy vas va vamos van hace hacer tiene quiero quieres puedo puede puedes
tienes estás estamos fuimos fui ay oye ajá órale digo dices mismo misma cosa cosas gente casa hermano hermana
mamá papá mami papi un una unos unas entonces osea tío tía nena nene chico chica señor señora
ver ir dar decir saber poder querer tener estar ser dale vale ves hice hizo ahí acá después mejor peor mientras
dime dile mija mijo niño niña
"""

_ENGLISH = """
the and of to is it that you he she they we was were be been have has had do does did not what which who this
with for on at by from but or so if just like know yeah yes my your his her our their him them us
there here then now when where why how all some any about into out up down can could would should will gonna
wanna really very well right think said go get got one more because i thing things something nothing anything
everything really actually maybe also only even still again always never people time way day work good much
many other those these want need said say says see look make made take went come came going doing being hi
hello bye thanks please sorry wow yep nope no me a son
mmhm mhm hmm hm uh uhhuh uhuh huh um aha
mom dad mommy daddy kids guys stuff kinda gotta guy kid
"""

_SHARED = frozenset("""
do come
""".split())

# Sounds of speech and chat in all three languages: their n-grams are no evidence for one of them (how
# often each language writes them is, in frequency_evidence). The English
# spellings of backchannels and fillers ("mmhm", "uh-huh", "um", "hmm", "aha"; Spanish writes "ajá",
# "mm", "eh") are listed as English above: bilingual transcribers tag them English, even in a
# Spanish conversation.
_NEUTRAL = """
ah oh eh ajá haha jaja jeje ok okay k ugh ew
"""
NEUTRAL = -1
# Laughter of any length is a sound of speech too, whose n-grams say nothing ("hahaha" is not Sesotho): one
# of h/j and a vowel, repeated, with a vowel before or a consonant after ("ajajaja", "hahah"). How often
# each language writes it still counts (frequency_evidence: "jajaja" is written in Spanish).
_LAUGHTER = re.compile(r"[aeiou]?([hj])[aeiou](?:\1[aeiou])+\1?")

# Spanish pronouns written onto a verb ("espérate", "dámelo"): the verb takes an accent that its
# n-grams read as French. Longest first, so that "los" is not read as "lo" + "s".
_CLITICS = ("los", "las", "les", "nos", "me", "te", "se", "lo", "la", "le", "os")
_ACUTE = str.maketrans("áéíóú", "aeiou")


@lru_cache(maxsize=20_000)
def spanish_verb_with_pronouns(part: str) -> bool:
    """Whether ``part``, listed in none of wordfreq's fr/es/en lists, is a frequent Spanish verb form
    with one or two pronouns written onto it ("espérate": "espera" + "te"; "dámelo": "da" + "me" +
    "lo"): exactly one acute accent, on the verb, which drops it when written alone."""
    if sum(part.count(vowel) for vowel in "áéíóú") != 1 or any(zipf_frequencies(part)):
        return False
    stems, found = [part], []
    for _ in range(2):
        stems = [stem[: -len(clitic)] for stem in stems for clitic in _CLITICS
                 if stem.endswith(clitic) and len(stem) - len(clitic) >= 2]
        found += stems
    return any(stem != stem.translate(_ACUTE) and _only_language(zipf_frequencies(stem.translate(_ACUTE))) == 1
               for stem in found)


def _only_language(frequencies: tuple[float, float, float]) -> int | None:
    """The index (fr 0, es 1, en 2) of the one language in which a word with these Zipf frequencies is
    frequent (4 or more, at least 1 above the other two), else None."""
    best = max(frequencies)
    index = frequencies.index(best)
    if best >= 4.0 and all(best > other + 1.0 for column, other in enumerate(frequencies) if column != index):
        return index
    return None


# Listed for one language but a frequent word of another of fr/es/en too: never a one-word
# insertion on its own ("un" is Spanish evidence, "me compré un hotdog", but "dans un entretien"
# is French throughout).
NOT_INSERTED = frozenset({"un"})


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[int, ...]]:
    """Lower-cased word -> the indices in LANGUAGES (fr 0, es 1, en 2) of the languages it is
    listed for (one or two), or ``(NEUTRAL,)``."""
    found: dict[str, set[int]] = {}
    for index, words in enumerate((_FRENCH, _SPANISH, _ENGLISH)):
        for word in words.split():
            found.setdefault(word, set()).add(index)
    words = {word: tuple(sorted(langs)) for word, langs in found.items() if len(langs) < 3 and word not in _SHARED}
    words.update(dict.fromkeys(_NEUTRAL.split(), (NEUTRAL,)))
    return words


def lexicon_evidence(relative, unique: Sequence[str], bonus: float) -> None:
    """Change ``relative`` (numpy, one row per word of ``unique``: scaled evidence in fr, es, en,
    then other languages) for the words of ``lexicon()``, Spanish verbs with pronouns written onto
    them (as Spanish words) and words of one language with an accented letter lost
    (``restored_language``): their language (or two) gets ``bonus``
    over the other ones of fr/es/en; a sound of speech ("mmhm") is evidence for none of fr/es/en.
    Another language may tie with the best of fr/es/en on a word of one of them, not beat it."""
    import numpy as np

    words = lexicon()
    for index, part in enumerate(unique):
        lang = words.get(part)
        if lang is None:
            if _LAUGHTER.fullmatch(part):
                lang = (NEUTRAL,)
            elif spanish_verb_with_pronouns(part):
                lang = (1,)
            elif (restored := restored_language(part)) is not None:
                lang = (restored,)
            else:
                continue
        row = relative[index]
        best = row[:3].max()
        # No other language wins on such a word alone ("bye" is not Kinyarwanda, "aha" not Somali);
        # a word of two of them ("que", "la") is a word of Catalan or Portuguese too.
        if len(lang) == 1:
            np.minimum(row[3:], best, out=row[3:])
        if lang[0] == NEUTRAL:
            row[:3] = best
        elif len(lang) == 1:  # its language first of fr/es/en, the other two at least ``bonus`` below
            own = lang[0]
            core = np.minimum(row[:3] - row[own] + best, best - bonus)
            core[own] = best
            row[:3] = core
        else:  # a word of two of them: evidence against the third only
            third = 3 - sum(lang)
            row[third] = min(row[third], row[list(lang)].max() - bonus)


# Zipf frequency (log10 of occurrences per billion words) of lower-cased parts in fr, es, en; wordfreq's
# "small" lists hold the words of Zipf 3 or more (about 30,000 a language): a word not listed is rarer.
@lru_cache(maxsize=1)
def _frequency_lists() -> tuple[dict[str, float], ...]:
    from wordfreq import get_frequency_dict

    return tuple(get_frequency_dict(language, wordlist="small") for language in ("fr", "es", "en"))


def _zipf(frequency: float) -> float:
    return math.log10(frequency) + 9.0


@lru_cache(maxsize=200_000)  # each new word is looked up once
def zipf_frequencies(part: str) -> tuple[float, float, float]:
    """Zipf frequency of ``part`` (lower-cased letters, composed: NFC, as translate.segment reads
    them) in fr, es and en; 0 where it is not listed."""
    return tuple(_zipf(listed[part]) if listed.get(part) else 0.0 for listed in _frequency_lists())


# Web text often loses its accented letters to a broken encoding ("tambin", "informacin", "pequeos",
# "nergie"): the word is then in no list, and its n-grams are no one language's.
_DROPPED_LETTERS = "áéíóúñèàêçôîûâ"


@lru_cache(maxsize=1)
def _without_one_accented_letter() -> dict[str, tuple[float, float, float]]:
    """Each listed word of fr, es or en with one of ``_DROPPED_LETTERS`` taken out -> the highest Zipf
    frequency in fr, es and en of the words it comes from ("tambin" -> 6.2 in Spanish)."""
    found: dict[str, list[float]] = {}
    accented = re.compile(f"[{_DROPPED_LETTERS}]")
    for column, listed in enumerate(_frequency_lists()):
        for word, frequency in listed.items():
            for letter in accented.finditer(word):
                best = found.setdefault(word[: letter.start()] + word[letter.end():], [0.0, 0.0, 0.0])
                best[column] = max(best[column], _zipf(frequency))
    return {key: tuple(value) for key, value in found.items()}


@lru_cache(maxsize=200_000)  # looked up again by restored_language
def restored_frequencies(part: str) -> tuple[float, float, float]:
    """For a word of letters that none of the fr/es/en lists holds: the highest Zipf frequency in fr,
    es and en of the words it becomes with one accented letter put back ("tambin": "también"
    6.2 in Spanish); zeros for a listed word, or one that no letter makes a listed word."""
    if len(part) < 2 or any(zipf_frequencies(part)):
        return (0.0, 0.0, 0.0)
    return _without_one_accented_letter().get(part, (0.0, 0.0, 0.0))


def restored_language(part: str) -> int | None:
    """The index (fr 0, es 1, en 2) of the one language whose frequent word ``part`` is with one
    accented letter put back (Zipf 4 or more, at least 1 above the other two), else None."""
    return _only_language(restored_frequencies(part))


def _frequencies(part: str) -> tuple[float, float, float]:
    found = zipf_frequencies(part)
    return found if any(found) else restored_frequencies(part)


def frequency_evidence(core, unique: Sequence[str], weight: float, floor: float, ceiling: float):
    """``core`` (numpy, one row per part of ``unique``: evidence in fr, es, en) weighed again by how often
    each part is written in them, as a new array: each language gets ``weight`` per unit of Zipf frequency
    below the most frequent of the three, frequencies held between ``floor`` and ``ceiling`` ("estaba"
    Spanish, "screening" English; "managers", frequent in French and English, nothing between those two).
    The best of the three keeps its evidence, so another language neither gains nor loses against it."""
    import numpy as np

    zipf = np.clip(np.array([_frequencies(part) for part in unique], dtype=np.float32).reshape(-1, 3), floor, ceiling)
    weighed = core + weight * (zipf - zipf.max(axis=1, keepdims=True))
    weighed += core.max(axis=1, keepdims=True) - weighed.max(axis=1, keepdims=True)
    return weighed
