"""One document model for every report, and one writer per format.

A report's builder (``jsgj.render.weekly``, ``jsgj.render.matrix``) turns the report's
plain data into a ``Document``; a writer in this package turns any document into the
bytes of one format. Adding a format is one writer; adding a report is one builder.
Writers import their heavy libraries (Jinja2, python-docx, openpyxl, rich) inside
their functions, so that ``jsgj --help`` loads none of them.
"""
