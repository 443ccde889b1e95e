"""The charts of the 工作总结 and the dashboard, drawn the way funds/charts.py draws the expense
chart: one layout, drawn twice — a PNG (Pillow) for Word and inline SVG (reports/_chart.html) for
the page — with each row's label and figure on a line and its bar under it, so the same chart reads
on a phone and on an A4 page. No JS chart library, nothing from a CDN.
"""

import io
import math
from dataclasses import dataclass
from decimal import Decimal

from jiaogong.funds import charts as base

WIDTH = base.WIDTH
PAD = base.PAD
ROW_HEIGHT = base.ROW_HEIGHT
BAR_COLOUR = base.BAR_COLOUR
LIMIT_COLOUR = "#1d1d1f"


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    text_y: float
    bar_y: float
    length: float
    over: bool = False  # past the limit line (a budget used beyond 100 %)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    width: int
    height: int
    left: float
    plot_width: float
    bar_height: int
    bars: list[Bar]
    ticks: list[base.Tick]
    grid_top: float
    axis_y: float
    empty_text: str
    limit_x: float | None = None  # a vertical line (100 % of a budget)

    @property
    def empty(self) -> bool:
        return not self.bars

    @property
    def title_y(self) -> float:
        return PAD + base.TITLE_SIZE

    @property
    def empty_at(self) -> tuple[float, float]:
        return self.width / 2, self.grid_top + ROW_HEIGHT / 2

    @property
    def right(self) -> float:
        return self.left + self.plot_width

    @property
    def tick_y(self) -> float:
        return self.axis_y + base.TICK_SIZE + 4

    @property
    def grid_spans(self) -> list[tuple[float, float]]:
        if self.empty:
            return [(self.grid_top, self.axis_y)]
        return [(b.bar_y - 4, b.bar_y + self.bar_height + 4) for b in self.bars]

    @property
    def description(self) -> str:
        """The chart as one line of text (the SVG's title, for screen readers)."""
        return self.title + "".join(f"；{b.label} {b.value_text}" for b in self.bars)


def bar_chart(
    key: str,
    title: str,
    items: list[tuple[str, float | Decimal, str]],
    *,
    empty_text: str = "本年度没有记录",
    axis_max: float | None = None,
    limit: float | None = None,
    tick_format: str = "{:,.0f}",
    whole: bool = False,
) -> Chart:
    """items: (label, value, the text shown at the right of the label). `axis_max` fixes the
    scale (e.g. 100 for percentages; longer bars stop at the edge); `limit` draws a line there."""
    plot_width = WIDTH - 2 * PAD
    largest = max([float(v) for _, v, _ in items] + [float(limit or 0)], default=0.0)
    if axis_max is None:
        step = base.nice_step(largest)
        if whole:  # counts: gridlines at whole numbers
            step = max(1.0, math.ceil(step))
        steps = max(1, math.ceil(largest / step - 1e-9)) if largest > 0 else 4
        axis_max = step * steps
    else:
        steps = 4
        step = axis_max / steps
    grid_top = PAD + base.TITLE_SIZE + 14
    bars = []
    for i, (label, value, text) in enumerate(items):
        top = grid_top + i * ROW_HEIGHT
        v = max(float(value), 0.0)
        length = min(v, axis_max) / axis_max * plot_width if axis_max else 0.0
        bars.append(
            Bar(
                label=label,
                value_text=text,
                text_y=top + base.LABEL_SIZE + 2,
                bar_y=top + base.LABEL_SIZE + 8,
                length=round(length, 1),
                over=limit is not None and v > limit,
            )
        )
    axis_y = grid_top + max(len(items), 1) * ROW_HEIGHT
    ticks = [
        base.Tick(
            x=round(PAD + plot_width * k / steps, 1),
            text=tick_format.format(step * k),
            anchor="start" if k == 0 else "end" if k == steps else "middle",
        )
        for k in range(steps + 1)
    ]
    return Chart(
        key=key,
        title=title,
        width=WIDTH,
        height=int(axis_y + base.TICK_SIZE + PAD + 4),
        left=PAD,
        plot_width=plot_width,
        bar_height=base.BAR_HEIGHT,
        bars=bars,
        ticks=ticks,
        grid_top=grid_top,
        axis_y=axis_y,
        empty_text=empty_text,
        limit_x=None if limit is None else round(PAD + plot_width * min(limit, axis_max) / axis_max, 1),
    )


OVER_COLOUR = "#7a1712"


def png(chart: Chart, *, scale: int = 3) -> bytes:
    """The chart as a PNG, `scale` × the layout's size (raises funds.charts.FontMissing without a
    Chinese font)."""
    from PIL import Image, ImageDraw, ImageFont

    path, index = base.cjk_font()
    bold_path, bold_index = base.cjk_font(True)
    loaded: dict = {}

    def font(size, bold=False):
        if (size, bold) not in loaded:
            loaded[size, bold] = ImageFont.truetype(
                bold_path if bold else path, size * scale, index=bold_index if bold else index
            )
        return loaded[size, bold]

    def s(value: float) -> float:
        return value * scale

    image = Image.new("RGB", (chart.width * scale, chart.height * scale), "white")
    draw = ImageDraw.Draw(image)
    draw.text(
        (s(chart.left), s(chart.title_y)),
        chart.title,
        font=font(base.TITLE_SIZE, True),
        fill=base.TEXT_COLOUR,
        anchor="ls",
    )
    for tick in chart.ticks:
        for top, bottom in chart.grid_spans:
            draw.line([(s(tick.x), s(top)), (s(tick.x), s(bottom))], fill=base.GRID_COLOUR, width=scale)
        draw.text(
            (s(tick.x), s(chart.tick_y)),
            tick.text,
            font=font(base.TICK_SIZE),
            fill=base.MUTED_COLOUR,
            anchor=base.PIL_ANCHORS[tick.anchor],
        )
    if chart.empty:
        draw.text(
            (s(chart.empty_at[0]), s(chart.empty_at[1])),
            chart.empty_text,
            font=font(base.LABEL_SIZE),
            fill=base.MUTED_COLOUR,
            anchor="mm",
        )
    for bar in chart.bars:
        draw.text(
            (s(chart.left), s(bar.text_y)),
            bar.label,
            font=font(base.LABEL_SIZE),
            fill=base.TEXT_COLOUR,
            anchor="ls",
        )
        draw.text(
            (s(chart.right), s(bar.text_y)),
            bar.value_text,
            font=font(base.LABEL_SIZE),
            fill=base.TEXT_COLOUR,
            anchor="rs",
        )
        if bar.length:
            draw.rectangle(
                [s(chart.left), s(bar.bar_y), s(chart.left + bar.length), s(bar.bar_y + chart.bar_height)],
                fill=OVER_COLOUR if bar.over else BAR_COLOUR,
            )
    if chart.limit_x is not None:
        for top, bottom in chart.grid_spans:
            draw.line(
                [(s(chart.limit_x), s(top)), (s(chart.limit_x), s(bottom))], fill=LIMIT_COLOUR, width=scale
            )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# ---- the charts of the summary -----------------------------------------------------------------------


def _count_items(value) -> list[tuple[str, int, str]]:
    return [(g, rows, f"{rows} {value.figure.unit}") for g, _, rows in value.groups]


def _amount_items(value) -> list[tuple[str, Decimal, str]]:
    total = value.value
    return [
        (g, amount, f"{base.money(amount)} 元（{base.percent(amount, total)}）")
        for g, amount, _ in value.groups
    ]


def summary_charts(f, year: int) -> list[Chart]:
    """The charts of the year's summary, from its figures (reports.figures.year_figures)."""
    return [
        bar_chart(
            "activities",
            f"{year} 年举办的活动（按类型）",
            _count_items(f["activities"]),
            empty_text="本年度没有已举行的活动",
            whole=True,
        ),
        bar_chart(
            "visits",
            f"{year} 年走访慰问（按事由）",
            _count_items(f["visits"]),
            empty_text="本年度没有走访慰问",
            whole=True,
        ),
        bar_chart(
            "expense",
            f"{year} 年经费支出（按科目）",
            _amount_items(f["expense"]),
            empty_text="本年度没有支出",
        ),
    ]


AREA_CHARTS = {"culture": "activities", "welfare": "visits", "funds": "expense"}
