"""Full-text search over the document, tasks and every report (``jsgj search``).

``fold`` turns text into the tokens the index holds (Chinese as overlapping character
pairs), ``query`` parses what a clerk types into an FTS5 expression and marks the
matches in a passage; the SQL lives in ``jsgj.store.search``.
"""
