"""`jsgj search`: find where somebody mentioned something."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from jsgj.cli.options import AsOfOption, DepartmentOption, JsonOption, date_or_none
from jsgj.cli.output import console, print_json, rich_output
from jsgj.cli.state import state
from jsgj.i18n import _

if TYPE_CHECKING:
    from jsgj.catalog.catalog import Catalog
    from jsgj.search.engine import Hit, SearchResult
    from jsgj.search.query import Passage

KIND_LABELS = {
    "measures": "措施",
    "tasks": "任务",
    "reports": "进展",
    "reviews": "审核",
    "chases": "催办",
}
FIELD_LABELS = {
    "title": "标题",
    "text": "正文",
    "reason": "理由",
    "note": "进展情况",
    "evidence": "佐证材料",
    "contact": "联络员",
}
EVENT_FIELD_LABELS = {"note": "说明"}
"""A lifecycle event's note is a reason or a remark (审核退回的理由, 催办说明), not progress."""
KINDS_HELP = "measures 措施, tasks 任务, reports 进展, reviews 审核, chases 催办"


def search(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(
            metavar=_("QUERY"),
            help=_("Words (all must occur), '\"an exact phrase\"', -word to exclude."),
            show_default=False,
        ),
    ],
    within: Annotated[
        str | None,
        typer.Option(
            "--in",
            help=_("Only these kinds, comma-separated: {kinds}.").format(kinds=KINDS_HELP),
            show_default=False,
        ),
    ] = None,
    department: DepartmentOption = None,
    measure: Annotated[
        int | None,
        typer.Option("--measure", "-m", help=_("Only this measure, 1-19."), show_default=False),
    ] = None,
    date_from: Annotated[
        str | None,
        typer.Option(
            "--from", help=_("Only hits dated on or after, YYYY-MM-DD."), show_default=False
        ),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option(
            "--to", help=_("Only hits dated on or before, YYYY-MM-DD."), show_default=False
        ),
    ] = None,
    as_of: AsOfOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help=_("At most this many hits."))] = 20,
    sort: Annotated[
        str, typer.Option("--sort", help=_("Order: newest (recorded last first) or relevance."))
    ] = "newest",
    as_json: JsonOption = False,
) -> None:
    """The query is parsed (search.query) and the options checked before the
    database is opened; search.engine runs it. Unknown options reach here as words
    (ignore_unknown_options in register), which is how `-word` excludes."""
    from jsgj.errors import UsageError
    from jsgj.search.engine import SearchOptions
    from jsgj.search.engine import search as run
    from jsgj.search.query import parse
    from jsgj.store.search import KINDS

    kinds = frozenset(KINDS)
    if within is not None:
        kinds = frozenset(k.strip() for k in within.split(",") if k.strip())
        unknown = sorted(kinds - set(KINDS))
        if unknown or not kinds:
            raise UsageError(
                _("--in: unknown kind {kind!r}; use {kinds}").format(
                    kind=",".join(unknown), kinds=KINDS_HELP
                )
            )
    if sort not in ("newest", "relevance"):
        raise UsageError(_("--sort: use newest or relevance, not {sort!r}").format(sort=sort))
    parsed = parse(" ".join(query))  # a bad query is refused before the database is opened
    st = state(ctx)
    catalog = st.catalog()
    options = SearchOptions(
        kinds=kinds,
        department=catalog.resolve(department).id if department else None,
        measure=catalog.measure(measure).number if measure is not None else None,
        date_from=date_or_none(date_from, "--from"),
        date_to=date_or_none(date_to, "--to"),
        as_of=date_or_none(as_of, "--as-of"),
        limit=limit,
        sort="relevance" if sort == "relevance" else "newest",
    )
    with st.store() as store:
        result = run(store, parsed, options)
    if as_json:
        print_json(_json(result, catalog))
        return
    _show(result, catalog)


def _department_name(catalog: Catalog, department_id: str | None) -> str:
    from jsgj.catalog.catalog import OFFICE_ID, OFFICE_NAME

    if department_id is None:
        return ""
    if department_id == OFFICE_ID:
        return OFFICE_NAME
    try:
        return catalog.department(department_id).name
    except KeyError:
        return department_id


def _where(hit: Hit) -> str:
    if hit.source == "measures":
        return f"措施{hit.measure}"
    return hit.task_id or ""


def _json(result: SearchResult, catalog: Catalog) -> dict[str, Any]:
    return {
        "query": result.query.typed,
        "hits": [
            {
                "kind": h.kind,
                "task_id": h.task_id,
                "measure": h.measure,
                "date": h.day,
                "recorded_at": h.recorded_at,
                "department": h.department,
                "department_name": _department_name(catalog, h.department),
                "source": h.source,
                "id": h.event_id,
                "snippets": [{"field": p.field, "text": p.marked()} for p in h.passages],
                "snippet": h.passages[0].marked() if h.passages else "",
            }
            for h in result.hits
        ],
        "more": result.more,
    }


def _head(hit: Hit, catalog: Catalog) -> str:
    """A hit's first line: where, when, who, what (a report with its #id)."""
    ref = f"#{hit.event_id}" if hit.source == "progress_reports" else ""
    parts = (
        _where(hit),
        hit.day,
        _department_name(catalog, hit.department),
        KIND_LABELS.get(hit.kind, hit.kind) + ref,
    )
    return "  ".join(part for part in parts if part)


def _label(hit: Hit, passage: Passage) -> str:
    """The indented label of a matched passage: 进展情况, 说明 (an event's note) ..."""
    labels = EVENT_FIELD_LABELS if hit.source == "task_events" else {}
    return f"    {labels.get(passage.field) or FIELD_LABELS.get(passage.field, passage.field)}："


def _tail(result: SearchResult) -> str:
    """The last line: no matches, how many, or that there are more."""
    if not result.hits:
        return _("no matches for {query}").format(query=result.query.typed)
    if result.more:
        return _("matches: the first {n}; there are more (--limit, or narrow the search)").format(
            n=len(result.hits)
        )
    return _("matches: {n}").format(n=len(result.hits))


def _plain(result: SearchResult, catalog: Catalog) -> None:
    """Off a terminal: plain lines, **…** marking the matches (rich is not imported)."""
    from jsgj.cli.output import write
    from jsgj.render.text import visible

    lines: list[str] = []
    for h in result.hits:
        lines.append(_head(h, catalog))
        lines += [f"{_label(h, p)}{p.marked()}" for p in h.passages]
    lines.append(_tail(result))
    write("".join(f"{visible(line)}\n" for line in lines))


def _show(result: SearchResult, catalog: Catalog) -> None:
    if not rich_output():
        _plain(result, catalog)
        return
    from rich.text import Text

    out = console()
    # Bold on a terminal; **…** when written to a file or a pipe, where bold is lost.
    terminal = out.is_terminal
    for h in result.hits:
        out.print(Text(_head(h, catalog), style="bold cyan" if terminal else ""))
        for p in h.passages:
            line = Text(_label(h, p))
            if terminal:
                start = len(line) + (1 if p.cut_before else 0)
                line.append(p.marked("", ""))
                for s, e in p.spans:
                    line.stylize("bold", start + s, start + e)
            else:
                line.append(p.marked())
            out.print(line, soft_wrap=True)  # the terminal wraps; a pipe gets one line
    out.print(Text(_tail(result)))


def register(app: typer.Typer) -> None:
    # Unknown options are words: `jsgj search 招生 -并行` excludes 并行.
    app.command(
        "search",
        help=_(
            "Search the measures, task titles, edit and cancel reasons, progress notes and "
            "evidence (全文检索). Chinese words of two or more characters match wherever "
            "they occur."
        ),
        context_settings={"ignore_unknown_options": True},
    )(search)
