"""Batch-like JSON built from the seeds' own segments, with hand-written English translations.

The translations below are real, correct translations written for these tests (no
model involved), so the signals can be checked on good output and on known defects.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from translate.segment import segment_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_A = "000_e292f1a6227b609f.txt"
SEED_B = "001_7d5254a00c7f58fe.txt"

# seg index -> English, for every French/Spanish segment of seed A.
GOOD_A = {
    0: "OpenAI's CEO explains how Elon Musk's departure affected the company: \"it was very hard\"",
    1: "The CEO of OpenAI explains how Elon Musk's departure from the company affected it: \"it was very hard\"",
    2: "Sam Altman discussed the disappointment of Musk's departure from his company, taking with him the "
       "money that was used to fund it.",
    3: "The CEO of",
    4: "Sam Altman, CEO of OpenAI.",
    5: "In 2018, Elon Musk left OpenAI, the company responsible for the existence of ChatGPT, the most famous "
       "generative AI on the market.",
    6: "Since the chatbot based on its parent company's natural language model appeared, giants like Microsoft "
       "have used it to develop their own business models and even to steal users from Google in the search "
       "field.",
    7: "But when Musk left OpenAI, its CEO, Sam Altman, had to reorient his life and his way of running the "
       "company to cope with the departure of an important figure, for better or for worse.",
    8: "This is what our friends at Business Insider tell us, to whom Altman made a statement on the subject.",
    9: "A very difficult moment for OpenAI",
    10: "Regarding Musk's departure from the company, Altman said that \"it was very hard.",
    11: "I had to refocus a large part of my life and my time to make sure that we had enough funds\".",
    12: "It is worth remembering that OpenAI was founded in 2015 with Altman, Musk and LinkedIn co-founder "
        "Reid Hoffman at its head.",
    13: "Shortly afterwards, Peter Thiel, the co-founder of PayPal, joined them.",
    14: "If Musk was anything to the company, he was a big investor, who spent between 50 and 100 million "
        "dollars out of his own pocket to keep OpenAI going.",
    15: "When the current owner of X (or Twitter, or whatever it is called next week) left in 2018 citing a "
        "conflict of interest with Tesla (it later turned out that the real reason was the board's refusal "
        "to appoint him to head the company), his millions left with him:",
    16: "One day he was there and the next day he said \"you are all a bunch of idiots, go fuck yourselves\".",
    17: "And he walked out the door.",
    18: "Altman found himself empty-handed, figuratively speaking.",
    19: "OpenAI's CEO did not know how to bring money into the company, but he managed to raise funds from "
        "various venture capital firms such as the famous Sequoia Capital to keep going (about 500 million "
        "dollars according to various sources).",
    20: "When ChatGPT was launched, Microsoft and its 10 billion dollars arrived, putting an end to the cash "
        "problems.",
    21: "Since then, the violent verbal exchanges between Altman and Musk have kept increasing.",
    22: "The South African tycoon takes all the credit for the existence of OpenAI, although he has said "
        "several times that it is now a \"company focused on making maximum profit, controlled by Microsoft\".",
    23: "Altman, for his part, has called Musk a \"bastard\" several times, in addition to saying that he never "
        "understood OpenAI's main mission.",
    24: "Meanwhile, the eccentric South African founded his own artificial intelligence company, xAI, with "
        "which he is developing TruthGPT, his alternative to ChatGPT.",
    25: "Its goal will be to \"know the absolute truth\".",
    26: "Relax, discover how the number of smartphones sold by brand has changed over time in the video below:",
}

# A subset of seed B's segments (the others are left out of the fixture document).
GOOD_B = {
    1: "Elon Musk helped found OpenAI and now he keeps criticizing it.",
    2: "He does it for millions of reasons.",
    3: "OpenAI was born in 2015.",
    5: "One of them was Elon Musk, who promised to invest 1 billion dollars in the project.",
    9: "In early 2018, Musk told Sam Altman, another of the project's founders, that the mission had failed "
       "and that they were far from what Google was achieving with DeepMind.",
    10: "Either you give me control, or I leave.",
    16: "While it had already contributed 100 million dollars to the development of OpenAI, it cancelled the "
        "rest of its investment, which was going to be ten times larger.",
    18: "We cannot be an NGO.",
    20: "The very high cost of training AI models and developing their project made it necessary to turn the "
        "company into a for-profit entity, which OpenAI did on March 11, 2019.",
    23: "Microsoft enters the scene.",
    24: "Less than six months later, Microsoft would invest 1,000 million dollars in OpenAI, which gave wings "
        "to the development of the infrastructure and of the projects under way in the company.",
    25: "Thanks in part to this investment, OpenAI ended up launching GPT-3 privately in 2020, and later, in "
        "2022, DALL-E 2 and ChatGPT, two generative AI models that ended up making OpenAI one of the most "
        "promising companies in technology.",
    31: "A few days ago he reiterated his complaint about OpenAI's change of philosophy, a company that \"has "
        "somehow become a for-profit company with a capitalization of 30 billion\".",
    35: "Altman distances himself from Musk.",
    36: "OpenAI's CEO is very aware of the situation.",
    41: "The reasons given in that letter (to analyse the risks carefully before moving forward with these "
        "projects) are reasonable, but everything that happened between Musk, Altman and OpenAI makes one "
        "think that the creator of Tesla is looking above all for one thing with that letter:",
    42: "to buy time.",
}

# Deterministic, plausible model scores (mean token log-probabilities) for good output.
def good_score(index: int) -> float:
    return round(-0.35 - 0.04 * (index % 9), 3)


def batch_document(seed_name: str, translations: dict[int, str], keep_all: bool = True) -> dict:
    """Batch JSON for a seed: its segments, with ``translations`` filled in.

    With ``keep_all`` every segment is kept (English ones as themselves); otherwise only
    the translated ones and English spans are kept.
    """
    raw = (SEEDS / seed_name).read_bytes()
    segments = []
    for index, segment in enumerate(segment_document(raw.decode("utf-8"))):
        if segment.needs_translation:
            if index not in translations:
                if keep_all:
                    raise KeyError(f"{seed_name}: no translation written for segment {index}")
                continue
            segment.translation = translations[index]
            segment.score = good_score(index)
        else:
            segment.translation = segment.text
        segments.append(segment.to_json())
    return {
        "source": seed_name,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "encoding": "utf-8",
        "models": {"fr": "Helsinki-NLP/opus-mt-fr-en", "es": "Helsinki-NLP/opus-mt-es-en"},
        "settings": {},
        "segments": segments,
    }


def write_batch(out_dir: Path, documents: list[dict]) -> None:
    """Write documents as a batch would, next to the other files a batch leaves."""
    for document in documents:
        path = out_dir / (Path(document["source"]).with_suffix(".json"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        path.with_suffix(".html").write_text("<html></html>", encoding="utf-8")
    (out_dir / "index.html").write_text("<html></html>", encoding="utf-8")
    (out_dir / "corpus.tmx").write_text("<tmx/>", encoding="utf-8")
