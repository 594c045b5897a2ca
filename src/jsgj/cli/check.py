"""`jsgj validate` (the CI gate for the data files) and `jsgj schema`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jsgj.cli.output import print_json, write
from jsgj.cli.state import state
from jsgj.i18n import _


class ValidateFormat(StrEnum):
    human = "human"
    json = "json"
    github = "github"


def validate(
    ctx: typer.Context,
    output_format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            "-f",
            help=_(
                "human (file:line:col: CODE message); json (a list of {file, line, "
                "column, code, message}); github (workflow annotations)."
            ),
        ),
    ] = ValidateFormat.human,
) -> None:
    """The CI gate for the data files: jsgj.validate.check_files gathers every
    problem (it never stops at the first) and this only formats them; the exit code is
    the verdict, so a workflow needs no parsing. Paths other than --measures and
    --departments come from jsgj.paths (environment variables), as at run time."""
    from jsgj.paths import demo_dir, indicators_path, office_path, scoring_path, source_path
    from jsgj.render.problems import github_lines, human_lines
    from jsgj.validate import check_files

    st = state(ctx)
    problems = check_files(
        st.measures_path,
        st.departments_path,
        source_path(),
        indicators_path(),
        demo_dir(),
        office_path(),
        scoring_path(),
    )
    if output_format is ValidateFormat.json:
        print_json(
            [
                {
                    "file": p.file,
                    "line": p.line,
                    "column": p.column,
                    "code": p.code,
                    "message": p.message,
                }
                for p in problems
            ]
        )
    elif output_format is ValidateFormat.github:
        for line in github_lines(problems):
            write(line + "\n")
    else:
        # Plain writes, not rich: a problem stays on one line (file:line:col: ...) at
        # any terminal width, so editors and log scanners can parse it.
        for line in human_lines(problems):
            write(line + "\n")
    if problems:
        raise typer.Exit(1)


def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=_(
                "Directory to write measures.schema.json, departments.schema.json and "
                "indicators.schema.json into (created if missing); without it, print them "
                "as one JSON object."
            ),
            file_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    from jsgj.catalog.schema import schema_texts
    from jsgj.files import write_atomic

    texts = schema_texts()
    if output is None:
        import json

        print_json({name: json.loads(text) for name, text in texts.items()})
        return
    for name, text in texts.items():
        write_atomic(output / name, text.encode("utf-8"))
        typer.echo(_("wrote {path}").format(path=output / name))


def register(app: typer.Typer) -> None:
    app.command(
        "validate",
        help=_(
            "Check the data files (and the demo's plans) against the schema, each other and "
            "the official text.\n\n"
            "Exit 0 when valid, 1 when any problem is found (all are reported), 2 on a "
            "usage error."
        ),
    )(validate)
    app.command(
        "schema",
        help=_(
            "Write the JSON Schemas of the three data files (measures, departments, "
            "indicators), generated from the models."
        ),
    )(schema)
