"""The command-line interface: one module per command group.

Modules here import only Typer and the standard library at top level; anything
heavier (Pydantic, sqlite-utils, YAML, openpyxl) is imported inside the command
that needs it, so ``jsgj --help`` stays as fast as a bare Typer app.
"""
