"""Indicators in the terminal (a list in plain columns; one indicator's detail with a
small bar chart, through rich) and as inline SVG."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from html import escape
from typing import TYPE_CHECKING

from jsgj.indicator_status import IndicatorStatus
from jsgj.render.columns import Col, Layout, block
from jsgj.render.text import cells
from jsgj.reports.indicators import IndicatorSummary, RegionSeries

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

STATUS_STYLES = {
    IndicatorStatus.met: "green",
    IndicatorStatus.on_track: "cyan",
    IndicatorStatus.off_track: "bold red",
    IndicatorStatus.no_data: "dim",
    IndicatorStatus.monitored: "blue",
}


def indicators_table(
    summaries: Sequence[IndicatorSummary], *, width: int = 80, colour: bool = False
) -> Iterator[str]:
    """The indicators as lines of text in fixed columns (``render.columns``): the name
    wrapping, its code and target under it, the latest province value and the status
    beside it; on a narrow terminal a row folds, never dropping 状态."""
    rows = []
    for s in summaries:
        p = s.province
        latest = p.assessment.latest if p else None
        status = p.assessment.status if p else IndicatorStatus.no_data
        value = f"{latest.value:g}{s.indicator.unit}" if latest else "—"
        rows.append((s, value, status))
    values = [cells(v) for _, v, _ in rows]
    labels = [cells(st.label) for st in IndicatorStatus]
    layout = Layout.fit(
        Col("", 0),
        Col("指标（代码、目标）", 16),
        (Col("全省最新", max([8, *values]), right=True), Col("状态", max([4, *labels]))),
        width,
        max_text=max(
            [16]
            + [cells(s.indicator.name) for s, _, _ in rows]
            + [cells(s.indicator.id) for s, _, _ in rows]
            + [cells(s.indicator.target_text()) + 6 for s, _, _ in rows]
        ),
    )
    yield from block("指标监测", width)
    yield from layout.header()
    for s, value, status in rows:
        yield from layout.row(
            "",
            s.indicator.name,
            (value, status.label),
            ("", STATUS_STYLES[status]) if colour else (),
            (s.indicator.id, "目标：" + s.indicator.target_text()),
        )


def _chart(summary: IndicatorSummary, region: RegionSeries, width: int = 30) -> Table:
    from rich.table import Table
    from rich.text import Text

    ind = summary.indicator
    values = [o.value for o in region.observations]
    scale = [*values, *([ind.target] if ind.target is not None else [])]
    # Bars start above zero so that a change of a point or two is visible.
    spread = max(scale) - min(scale)
    base = max(0.0, min(scale) - (spread * 0.5 if spread else abs(min(scale)) * 0.1))
    top = max(scale) + (spread * 0.1 if spread else abs(max(scale)) * 0.05) or 1.0

    def cells(v: float) -> int:
        return max(0, min(width, round((v - base) / (top - base) * width)))

    mark = cells(ind.target) if ind.target is not None else None
    chart = Table(box=None, pad_edge=False, show_header=False)
    chart.add_column(no_wrap=True)
    chart.add_column(justify="right", no_wrap=True)
    chart.add_column(no_wrap=True)
    for o in region.observations:
        filled = cells(o.value)
        bar = Text("█" * filled, style="cyan")
        bar.append(" " * (width - filled))
        if mark is not None and 0 <= mark < width:
            bar = bar[:mark] + Text("┃", style="bold red") + bar[mark + 1 :]
        chart.add_row(o.date.isoformat(), f"{o.value:g}", bar)
    return chart


def indicator_detail(summary: IndicatorSummary) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    ind = summary.indicator
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")
    head.add_row("指标", f"{ind.name}（{ind.id}）")
    head.add_row("目标", ind.target_text())
    head.add_row(
        "出处",
        ("措施（" + str(ind.measure) + "）" if ind.measure else "序言") + f"：{ind.sentence}",
    )
    parts: list[RenderableType] = [head]
    for r in summary.regions:
        status = r.assessment.status
        parts.append(
            Text.assemble(
                (f"\n{r.label} ", "bold"),
                (status.label, STATUS_STYLES[status]),
                f"  {r.assessment.reason}",
            )
        )
        if r.observations:
            parts.append(_chart(summary, r))
    if ind.target is not None:
        parts.append(Text(f"┃ 目标值 {ind.target:g}{ind.unit}（条形自非零基线起画）", style="red"))
    return Group(*parts)


def series_svg(summary: IndicatorSummary, width: int = 560, height: int = 200) -> str:
    """Each region's series as a line against the target line; inline SVG, no scripts."""
    ind = summary.indicator
    pts = [(o.date, o.value) for r in summary.regions for o in r.observations]
    if not pts:
        return ""
    left, right, top, bottom = 48, 110, 22, 28
    dates = [d for d, _ in pts] + ([ind.deadline] if ind.deadline else [])
    d0, d1 = min(dates), max(dates)
    span = max((d1 - d0).days, 1)
    values = [v for _, v in pts] + ([ind.target] if ind.target is not None else [])
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.15 or 1.0
    lo, hi = lo - pad, hi + pad

    def x(d: dt.date) -> float:
        return left + ((d - d0).days / span) * (width - left - right)

    def y(v: float) -> float:
        return top + (1 - (v - lo) / (hi - lo)) * (height - top - bottom)

    plot_w, plot_h = width - left - right, height - top - bottom
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(ind.name)}">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" '
        'fill="#fafafa" stroke="#ccc"/>',
        _label(left - 4, y(hi - pad) + 4, f"{hi - pad:g}", "end"),
        _label(left - 4, y(lo + pad) + 4, f"{lo + pad:g}", "end"),
        _label(left - 4, 12, f"单位：{ind.unit}", "start"),
        _label(left, height - 8, str(d0.year)),
        _label(width - right, height - 8, str(d1.year), "end"),
    ]
    # Right-hand labels (the target and each series' last value), pushed apart so
    # that close values stay legible.
    labels: list[tuple[float, str, str]] = []
    if ind.target is not None:
        ty = y(ind.target)
        out.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="#c00" '
            'stroke-dasharray="5,3"/>'
        )
        labels.append((ty, f"目标{ind.target:g}{ind.unit}", "#c00"))
    palette = ["#1f4e9a", "#e08a00", "#2a9d5b", "#8e44ad", "#7f8c8d", "#c0392b"]
    for i, r in enumerate(summary.regions):
        if not r.observations:
            continue
        color = palette[i % len(palette)]
        line = " ".join(f"{x(o.date):.1f},{y(o.value):.1f}" for o in r.observations)
        out.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"/>')
        for o in r.observations:
            out.append(
                f'<circle cx="{x(o.date):.1f}" cy="{y(o.value):.1f}" r="2.5" fill="{color}"/>'
            )
        last = r.observations[-1]
        labels.append((y(last.value), f"{r.label} {last.value:g}", color))
    for label_y, text, color in _spread(labels, 11.0, top, height - bottom):
        out.append(
            f'<text x="{width - right + 4}" y="{label_y + 4:.1f}" font-size="10" '
            f'fill="{color}">{escape(text)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _label(x: float, y: float, text: str, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="10" text-anchor="{anchor}">{escape(text)}</text>'
    )


def _spread(
    labels: list[tuple[float, str, str]], gap: float, low: float, high: float
) -> list[tuple[float, str, str]]:
    """Labels sorted by height and moved apart to at least ``gap``, kept within [low, high]."""
    placed = sorted(labels)
    ys = [y for y, _, _ in placed]
    for k in range(1, len(ys)):
        ys[k] = max(ys[k], ys[k - 1] + gap)
    overflow = ys[-1] - high if ys else 0.0
    if overflow > 0:
        ys = [v - overflow for v in ys]
        for k in range(len(ys) - 2, -1, -1):
            ys[k] = min(ys[k], ys[k + 1] - gap)
    ys = [max(v, low) for v in ys]
    return [(v, text, color) for v, (_, text, color) in zip(ys, placed, strict=True)]
