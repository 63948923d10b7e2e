"""Sentence alignment of a document with its existing (human) translation: ``translate align``.

- ``aligner``: sentences of both documents -> aligned groups with offsets and confidences
  (paragraphs first when both sides' paragraphs agree);
- ``dp``: the search over 1-1 ... 1-4 / 4-1 groups, linear by coarse-to-fine;
- ``scoring``: the sentence-encoder and Gale-Church similarities; ``mt``/``chrf``: the MT one;
- ``encoder``: the bundled multilingual sentence encoder (loaded lazily);
- ``run``: pairing of folders, reading, aligning and writing one pair.
"""
