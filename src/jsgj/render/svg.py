"""Inline SVG charts, written by hand: no library, no script, no external font or
image, deterministic coordinates (fixed decimals) so the same data gives the same
bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


def esc(text: object) -> str:
    """Text for an SVG text node or attribute."""
    return escape(str(text), quote=True)


FONT = "SimHei, 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif"


@dataclass(frozen=True, slots=True)
class Segment:
    label: str
    value: int
    color: str
    text_color: str = "#fff"


def _n(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _label_width(text: str) -> float:
    """Approximate width in em: CJK characters and general punctuation (the curly
    quotes a CJK font draws full width) 1, others 0.55."""
    return sum(1.0 if ord(ch) > 0x2E80 or 0x2000 <= ord(ch) <= 0x206F else 0.55 for ch in text)


def _clip(text: str, max_em: float) -> str:
    if _label_width(text) <= max_em:
        return text
    out = ""
    for ch in text:
        if _label_width(out + ch + "…") > max_em:
            break
        out += ch
    return out + "…"


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[Segment]]],
    *,
    title: str,
    legend: Sequence[tuple[str, str]],
    width: int = 680,
    bar_height: int = 13,
    gap: int = 6,
    label_em: float = 17.0,
    font_size: int = 10,
    empty_text: str = "暂无任务",
) -> str:
    """Horizontal stacked bars, one per row, on a common scale (the largest total),
    each segment's count written inside it when it fits, the total at the bar's end."""
    label_w = label_em * font_size + 8
    total_w = 3.2 * font_size
    plot_w = width - label_w - total_w
    top = 22
    legend_h = 18
    height = top + len(rows) * (bar_height + gap) + legend_h
    scale_max = max((sum(s.value for s in segs) for _, segs in rows), default=0) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{esc(title)}" '
        f'font-family="{esc(FONT)}" font-size="{font_size}">',
        f"<title>{esc(title)}</title>",
    ]
    # legend, top right to left
    x = float(label_w)
    for name, color in legend:
        out.append(
            f'<rect x="{_n(x)}" y="4" width="10" height="10" fill="{esc(color)}"/>'
            f'<text x="{_n(x + 13)}" y="13" fill="#333">{esc(name)}</text>'
        )
        x += 13 + _label_width(name) * font_size + 14
    # grid lines at quarters of the scale
    for q in range(5):
        gx = label_w + plot_w * q / 4
        out.append(
            f'<line x1="{_n(gx)}" y1="{top - 3}" x2="{_n(gx)}" '
            f'y2="{_n(top + len(rows) * (bar_height + gap) - gap + 3)}" '
            'stroke="#ddd" stroke-width="0.6"/>'
        )
    for i, (label, segments) in enumerate(rows):
        y = top + i * (bar_height + gap)
        ty = y + bar_height / 2 + font_size * 0.36
        out.append(
            f'<text x="{_n(label_w - 6)}" y="{_n(ty)}" text-anchor="end" fill="#222">'
            f"{esc(_clip(label, label_em))}</text>"
        )
        total = sum(s.value for s in segments)
        if total == 0:
            out.append(
                f'<text x="{_n(label_w + 2)}" y="{_n(ty)}" fill="#999">{esc(empty_text)}</text>'
            )
            continue
        x = float(label_w)
        for s in segments:
            if s.value <= 0:
                continue
            w = plot_w * s.value / scale_max
            out.append(
                f'<rect x="{_n(x)}" y="{y}" width="{_n(w)}" height="{bar_height}" '
                f'fill="{esc(s.color)}"><title>{esc(s.label)} {s.value}</title></rect>'
            )
            if w >= _label_width(str(s.value)) * font_size + 4:
                out.append(
                    f'<text x="{_n(x + w / 2)}" y="{_n(ty)}" text-anchor="middle" '
                    f'fill="{esc(s.text_color)}" font-size="{font_size - 1}">{s.value}</text>'
                )
            x += w
        out.append(f'<text x="{_n(x + 4)}" y="{_n(ty)}" fill="#222">{total}</text>')
    out.append("</svg>")
    return "\n".join(out)


def proportion_bar(
    segments: Sequence[Segment], *, title: str, width: int = 680, height: int = 22
) -> str:
    """One bar across the width, segments in proportion, each with its label and count."""
    total = sum(s.value for s in segments)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{esc(title)}" '
        f'font-family="{esc(FONT)}" font-size="10">',
        f"<title>{esc(title)}</title>",
    ]
    if total == 0:
        out.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eee"/>')
        out.append(
            f'<text x="{_n(width / 2)}" y="{_n(height / 2 + 3.6)}" text-anchor="middle" '
            'fill="#777">暂无任务</text>'
        )
    x = 0.0
    for s in segments:
        if s.value <= 0:
            continue
        w = width * s.value / total
        out.append(
            f'<rect x="{_n(x)}" y="0" width="{_n(w)}" height="{height}" fill="{esc(s.color)}">'
            f"<title>{esc(s.label)} {s.value}</title></rect>"
        )
        text = f"{s.label} {s.value}"
        if w >= _label_width(text) * 10 + 6:
            out.append(
                f'<text x="{_n(x + w / 2)}" y="{_n(height / 2 + 3.6)}" text-anchor="middle" '
                f'fill="{esc(s.text_color)}">{esc(text)}</text>'
            )
        elif w >= _label_width(str(s.value)) * 10 + 4:
            out.append(
                f'<text x="{_n(x + w / 2)}" y="{_n(height / 2 + 3.6)}" text-anchor="middle" '
                f'fill="{esc(s.text_color)}">{s.value}</text>'
            )
        x += w
    out.append("</svg>")
    return "\n".join(out)
