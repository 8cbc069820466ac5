"""The overview's small charts, laid out here and drawn as SVG by the template
(templates/_charts.html): a chart is rectangles and labels in a view box.

    facts_chart(board.facts)               facts per type, one bar per type, stacked by status
    months_chart(board.meetings_per_month) meetings per month, one column per month
    regions_chart(board.regions)           the regions most reported, one bar each
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.kb.overview import STATUSES, TypeCount

WIDTH = 360
ROW = 22          # height of one horizontal bar's row
LABEL = 78        # room for the labels left of horizontal bars
COLUMNS_HEIGHT = 150
MAX_COLUMN = 48   # a month's column at most this wide (one month alone is not a wall)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str          # its class: the colour
    tip: str          # the tooltip (an SVG <title>)


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "start"   # start | middle | end
    css: str = ""


@dataclass
class Chart:
    title: str
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    empty: str = ""           # what to say when there is nothing to draw


def _scale(top: int, room: float) -> float:
    return room / top if top else 0.0


def facts_chart(counts: list[TypeCount]) -> Chart:
    chart = Chart("Facts per type, by review status", WIDTH, ROW * len(counts) + 6)
    per = _scale(max((c.total for c in counts), default=0), WIDTH - LABEL - 40)
    for row, count in enumerate(counts):
        y, x = 3 + row * ROW, float(LABEL)
        chart.labels.append(Label(LABEL - 6, y + 14, count.type, "end"))
        for status in STATUSES:
            n = count.per_status.get(status, 0)
            if n:
                chart.rects.append(Rect(x, y + 2, n * per, ROW - 6, f"st-{status}", f"{count.type}: {n} {status}"))
                x += n * per
        chart.labels.append(Label(x + 4, y + 14, str(count.total), css="value"))
    chart.empty = "" if per else "no facts yet"
    return chart


def months_chart(months: list[tuple[str, int]]) -> Chart:
    chart = Chart("Meetings per month (meeting date, else publication date)", WIDTH, COLUMNS_HEIGHT + 22)
    if not months:
        chart.empty = "no dated meetings"
        return chart
    per = _scale(max(n for _, n in months), COLUMNS_HEIGHT - 16)
    step = min(MAX_COLUMN, (WIDTH - 8) / len(months))
    every = max(1, len(months) // 6)  # label about six months
    for i, (month, n) in enumerate(months):
        x, h = 4 + i * step, n * per
        chart.rects.append(Rect(x + step * 0.15, COLUMNS_HEIGHT - h, step * 0.7, h, "bar-meetings",
                                f"{month}: {n} meeting(s)"))
        if n:
            chart.labels.append(Label(x + step / 2, COLUMNS_HEIGHT - h - 3, str(n), "middle", "value"))
        if i % every == 0 or i == len(months) - 1:
            chart.labels.append(Label(x + step / 2, COLUMNS_HEIGHT + 15, month, "middle", "axis"))
    return chart


def regions_chart(regions: list[tuple[str, str, int]]) -> Chart:
    chart = Chart("Regions most reported (documents naming them)", WIDTH, ROW * len(regions) + 6)
    if not regions:
        chart.empty = "no regions yet"
        return chart
    per = _scale(max(n for _, _, n in regions), WIDTH - LABEL - 40)
    for row, (region_id, name, n) in enumerate(regions):
        y = 3 + row * ROW
        chart.labels.append(Label(LABEL - 6, y + 14, name, "end"))
        chart.rects.append(Rect(LABEL, y + 2, n * per, ROW - 6, "bar-regions", f"{name} ({region_id}): {n} document(s)"))
        chart.labels.append(Label(LABEL + n * per + 4, y + 14, str(n), css="value"))
    return chart
