"""Charts drawn on the server as SVG: no JavaScript, no CDN, readable offline and printable.

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``aria-describedby`` naming the data table
the page shows beside it, so a screen reader reads the table rather than the drawing. Colours come
from one palette that keeps contrast on white; bars carry their values as text too.
"""

import json
import re
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from html import escape
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#1d4e89", "#c2571a", "#2e7d32", "#6a1b9a", "#00796b", "#8d6e63", "#ad1457", "#455a64")


def _svg(width: int, height: int, title: str, table_id: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 — every text inside is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-describedby="{escape(table_id)}" class="chart" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _short(label: str, limit: int = 36) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bars(rows: Sequence[tuple[str, Decimal | int | None]], *, title: str, table_id: str) -> SafeString:
    """Horizontal bars, one per row, longest scaled to the width."""
    width, bar, gap, label_w = 640, 18, 8, 250
    values = [float(value or 0) for _label, value in rows]
    top = max(values, default=0) or 1
    body = []
    for index, ((label, value), number) in enumerate(zip(rows, values, strict=True)):
        y = index * (bar + gap) + 4
        length = (width - label_w - 60) * number / top
        body.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" '
            f'font-size="12">{escape(_short(label))}</text>'
        )
        body.append(
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar}" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
        )
        body.append(
            f'<text x="{label_w + length + 4:.1f}" y="{y + 13}" '
            f'font-size="12">{escape(str(value if value is not None else ""))}</text>'
        )
    return _svg(width, max(len(rows), 1) * (bar + gap) + 8, title, table_id, body)


def columns(
    years: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *, title: str, table_id: str
) -> SafeString:
    """Stacked columns per academic year, one colour per series, with a legend."""
    width, height, left, bottom, top_margin = 640, 260, 40, 40, 30
    totals = [sum(values[i] for _name, values in series) for i in range(len(years))]
    top = max(totals, default=0) or 1
    step = (width - left - 10) / max(len(years), 1)
    column = min(step * 0.6, 80)
    plot = height - bottom - top_margin
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#555"/>'
    ]
    for i, year in enumerate(years):
        x = left + i * step + (step - column) / 2
        y = height - bottom
        for index, (_name, values) in enumerate(series):
            h = plot * values[i] / top
            y -= h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[index]}"/>'
            )
        body.append(
            f'<text x="{x + column / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-size="12">{totals[i]}</text>'
        )
        body.append(
            f'<text x="{x + column / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11">{escape(year)}</text>'
        )
    for index, (name, _values) in enumerate(series):
        x = left + index * 170
        body.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[index]}"/>')
        body.append(f'<text x="{x + 16}" y="14" font-size="12">{escape(name)}</text>')
    return _svg(width, height, title, table_id, body)


def flows(rows: Sequence[tuple[str, str, int]], *, title: str, table_id: str, limit: int = 12) -> SafeString:
    """Countries sending on the left, receiving on the right, a band for each flow as wide as its
    mobilities: a Sankey-like view of who sends whom (the largest ``limit`` flows; the table has all)."""
    shown = sorted(rows, key=lambda r: -r[2])[:limit]
    origins = sorted({r[0] for r in shown})
    destinations = sorted({r[1] for r in shown})
    width, row_h, label_w = 640, 26, 150
    height = max(len(origins), len(destinations), 1) * row_h + 20
    top = max((r[2] for r in shown), default=1) or 1
    y_of_origin = {name: 14 + i * row_h for i, name in enumerate(origins)}
    y_of_destination = {name: 14 + i * row_h for i, name in enumerate(destinations)}
    body = []
    for index, (origin, destination, count) in enumerate(shown):
        y1, y2 = y_of_origin[origin], y_of_destination[destination]
        x1, x2 = label_w, width - label_w
        stroke = 2 + 14 * count / top
        body.append(
            f'<path d="M{x1},{y1} C{(x1 + x2) / 2},{y1} {(x1 + x2) / 2},{y2} {x2},{y2}" fill="none" '
            f'stroke="{PALETTE[index % len(PALETTE)]}" stroke-opacity="0.55" stroke-width="{stroke:.1f}"/>'
        )
    for name, y in y_of_origin.items():
        body.append(
            f'<text x="{label_w - 6}" y="{y + 4}" text-anchor="end" font-size="12">{escape(name)}</text>'
        )
    for name, y in y_of_destination.items():
        body.append(f'<text x="{width - label_w + 6}" y="{y + 4}" font-size="12">{escape(name)}</text>')
    return _svg(width, height, title, table_id, body)


@cache
def _world() -> tuple[tuple[int, int], dict[str, str], dict[str, tuple[float, float]]]:
    """The vendored world map (``data/world.json``, see its README): the box, each country's path, and
    a point inside each country (the middle of its largest outline's bounding box) for flow arcs."""
    data = json.loads((Path(__file__).parent / "data" / "world.json").read_text())
    paths: dict[str, str] = data["countries"]
    centres: dict[str, tuple[float, float]] = {}
    for code, path in paths.items():
        best, best_area = (0.0, 0.0), -1.0
        for outline in re.findall(r"M([^z]*)z", path):
            head, _sep, tail = outline.partition("l")
            x, y = (int(v) for v in head.split())
            xs, ys = [x], [y]
            for dx, dy in re.findall(r"(-?\d+) ?(-?\d+)", tail):
                x, y = x + int(dx), y + int(dy)
                xs.append(x)
                ys.append(y)
            area = (max(xs) - min(xs)) * (max(ys) - min(ys))
            if area > best_area:
                best, best_area = ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2), area
        centres[code] = best
    return (data["viewBox"][2], data["viewBox"][3]), paths, centres


SHADES = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def world_map(
    rows: Sequence[tuple[str, str, int]], *, title: str, table_id: str, limit: int = 40
) -> SafeString:
    """The world with each country shaded by the mobilities it sends or receives (five shades, darkest
    the most), and an arc from sending to receiving country for each of the ``limit`` largest flows,
    as wide as its mobilities. The table beside it has every flow."""
    (width, height), paths, centres = _world()
    involved: dict[str, int] = {}
    for origin, destination, count in rows:
        for code in {origin, destination}:
            involved[code] = involved.get(code, 0) + count
    top = max(involved.values(), default=1) or 1
    body = []
    for code, path in paths.items():
        count = involved.get(code, 0)
        fill = SHADES[min(len(SHADES) - 1, int(len(SHADES) * count / (top + 1)))] if count else "#e4e4e4"
        body.append(f'<path d="{path}" fill="{fill}" stroke="#fff" stroke-width="0.4"/>')
    biggest = max((count for *_codes, count in rows), default=1) or 1
    for origin, destination, count in sorted(rows, key=lambda row: -row[2])[:limit]:
        if origin not in centres or destination not in centres or origin == destination:
            continue
        (x1, y1), (x2, y2) = centres[origin], centres[destination]
        # The bend is to the left of the direction of travel, so A→B and B→A are two arcs, not one.
        length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1.0)
        bend = max(12.0, length / 4)
        cx, cy = (x1 + x2) / 2 + (y2 - y1) / length * bend, (y1 + y2) / 2 - (x2 - x1) / length * bend
        body.append(
            f'<path d="M{x1:.0f},{y1:.0f} Q{cx:.0f},{cy:.0f} {x2:.0f},{y2:.0f}" '
            f'fill="none" stroke="#c2571a" stroke-opacity="0.8" stroke-width="{1 + 5 * count / biggest:.1f}" '
            f'stroke-linecap="round"/>'
        )
    for code in involved:
        if code in centres:
            x, y = centres[code]
            body.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="2.5" fill="#222"/>')
    return _svg(width, height, title, table_id, body)
