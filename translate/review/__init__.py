"""``translate review``: people judge a batch's translations, fix them, and the fixes reach every output.

- ``store``: the review database in the output folder (verdicts, categories, comments, edits).
- ``queue``: the spans in review order (the spot-check sample, then flagged spans, then the rest).
- ``server``: the local web app (Starlette), token-protected, with one page and a small script.
- ``apply``: edits become human translation-memory entries and the touched documents are
  rewritten by the batch's own write stage.
- ``export``: the verdicts as CSV or JSON.
- ``api``: ``review_results`` and ``apply_reviews`` for the Python API.
"""
