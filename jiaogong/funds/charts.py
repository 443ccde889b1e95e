"""The expense-by-category bar chart: one layout, drawn twice — as a PNG (Pillow) for the Word
report and as inline SVG (funds/reports_chart.html) for the 报表 page — so both show the same
bars, figures and scale.

Each category is a row: its name and amount on a line, the bar under it. The labels never have
to fit beside the bars, so the same chart reads on a phone and on an A4 page.

Chinese text needs a CJK font on the server (Debian: fonts-noto-cjk). Without one, Pillow would
draw empty boxes, so `cjk_font` raises FontMissing instead.
"""

import functools
import io
import math
import shutil
import subprocess
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from jiaogong.funds.models import EXPENSE_CATEGORIES, REMITTANCE_CATEGORY

ZERO = Decimal("0.00")

WIDTH = 360  # px: a phone shows it near actual size; the PNG is drawn at 3 ×
PAD = 12
TITLE_SIZE = 16
LABEL_SIZE = 14
TICK_SIZE = 11
BAR_HEIGHT = 16
ROW_HEIGHT = 50  # label line + bar + gap
BAR_COLOUR = "#b3261e"
GRID_COLOUR = "#dddddd"
TEXT_COLOUR = "#1d1d1f"
MUTED_COLOUR = "#666666"

# Where Debian puts CJK fonts (fonts-noto-cjk first), for machines without fontconfig.
KNOWN_FONTS = {
    False: [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
    ],
    True: [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    ],
}
FONTCONFIG_PATTERNS = {False: "Noto Sans CJK SC", True: "Noto Sans CJK SC:style=Bold"}
PROBE = "会费收支拨缴上解"
PIL_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # SVG text-anchor → Pillow, on the baseline


class FontMissing(RuntimeError):
    """No font on the server can draw Chinese."""

    def __init__(self):
        super().__init__(
            "服务器上没有中文字体，无法生成含中文的图表或 PDF。"
            "请安装 Debian 软件包 fonts-noto-cjk（apt-get install fonts-noto-cjk）。"
        )


# ---- the data ------------------------------------------------------------------------------------


def expense_items(summary: dict) -> list[tuple[str, Decimal]]:
    """The year's expense per category (services.summary), largest first, empty ones left out."""
    order = [*EXPENSE_CATEGORIES, REMITTANCE_CATEGORY]
    items = [(c, summary["expense"].get(c, ZERO)) for c in order]
    return sorted([(c, a) for c, a in items if a], key=lambda item: -item[1])


def percent(part: Decimal, whole: Decimal) -> str:
    """Share of a whole to one decimal, half up: (1, 3) → "33.3%"; "—" when the whole is 0."""
    if not whole:
        return "—"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}%"


def money(amount: Decimal) -> str:
    """12345.6 → "12,345.60"."""
    return f"{Decimal(amount):,.2f}"


# ---- the layout ----------------------------------------------------------------------------------


def nice_step(largest: float, ticks: int = 4) -> float:
    """The gridline step for an axis from 0 to `largest`: 1, 2, 2.5 or 5 × a power of ten, so
    that about `ticks` steps cover it (the usual "nice numbers" of chart axes)."""
    if largest <= 0:
        return 1.0
    raw = largest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude * (1 + 1e-9):
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover  (the loop always returns)


@dataclass(frozen=True)
class Bar:
    label: str
    amount: Decimal
    value_text: str  # "3,260.50 元（42.1%）"
    text_y: float  # baseline of the label line
    bar_y: float
    length: float


@dataclass(frozen=True)
class Tick:
    x: float
    text: str
    anchor: str  # SVG text-anchor: the end ticks keep inside the picture


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    left: float
    plot_width: float
    bar_height: int
    bars: list[Bar]
    ticks: list[Tick]
    grid_top: float
    axis_y: float
    total: Decimal

    @property
    def empty(self) -> bool:
        return not self.bars

    @property
    def title_y(self) -> float:
        return PAD + TITLE_SIZE

    @property
    def empty_at(self) -> tuple[float, float]:
        """Where "本年度没有支出" goes (its centre)."""
        return self.width / 2, self.grid_top + ROW_HEIGHT / 2

    @property
    def right(self) -> float:
        return self.left + self.plot_width

    @property
    def tick_y(self) -> float:
        return self.axis_y + TICK_SIZE + 4

    @property
    def grid_spans(self) -> list[tuple[float, float]]:
        """The gridlines run through the bars only, not through the label lines above them."""
        if self.empty:
            return [(self.grid_top, self.axis_y)]
        return [(b.bar_y - 4, b.bar_y + self.bar_height + 4) for b in self.bars]


def layout(items: list[tuple[str, Decimal]], title: str) -> Chart:
    """Where everything goes (in px of a WIDTH-wide picture). Negative amounts (a year whose
    reversals outweigh its entries) are labelled but get no bar."""
    plot_width = WIDTH - 2 * PAD
    total = sum((a for _, a in items if a > 0), ZERO)
    largest = float(max((a for _, a in items), default=ZERO))
    step = nice_step(largest)
    steps = max(1, math.ceil(largest / step - 1e-9)) if largest > 0 else 4
    axis_max = step * steps
    grid_top = PAD + TITLE_SIZE + 14
    bars = []
    for i, (label, amount) in enumerate(items):
        top = grid_top + i * ROW_HEIGHT
        length = max(float(amount), 0.0) / axis_max * plot_width
        bars.append(
            Bar(
                label=label,
                amount=amount,
                value_text=f"{money(amount)} 元（{percent(amount, total)}）"
                if amount > 0
                else f"{money(amount)} 元",
                text_y=top + LABEL_SIZE + 2,
                bar_y=top + LABEL_SIZE + 8,
                length=round(length, 1) if amount > 0 else 0.0,
            )
        )
    axis_y = grid_top + max(len(items), 1) * ROW_HEIGHT
    decimals = 0 if step >= 1 else 2
    ticks = [
        Tick(
            x=round(PAD + plot_width * k / steps, 1),
            text=f"{step * k:,.{decimals}f}",
            anchor="start" if k == 0 else "end" if k == steps else "middle",
        )
        for k in range(steps + 1)
    ]
    return Chart(
        title=title,
        width=WIDTH,
        height=int(axis_y + TICK_SIZE + PAD + 4),
        left=PAD,
        plot_width=plot_width,
        bar_height=BAR_HEIGHT,
        bars=bars,
        ticks=ticks,
        grid_top=grid_top,
        axis_y=axis_y,
        total=total,
    )


def expense_chart(summary: dict) -> Chart:
    return layout(expense_items(summary), f"{summary['year']} 年支出（按科目）")


# ---- the font ------------------------------------------------------------------------------------


def _draws_chinese(path: str, index: int) -> bool:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # not a font fontTools can read: not one we can use either
        return False
    return all(ord(c) in cmap for c in PROBE)


def _simplified_face(path: str) -> int:
    """In a collection (.ttc), the face for Simplified Chinese ("… SC"), else the first."""
    if not path.lower().endswith(".ttc"):
        return 0
    from fontTools.ttLib import TTCollection

    try:
        with TTCollection(path, lazy=True) as collection:
            families = [face["name"].getDebugName(1) or "" for face in collection.fonts]
    except Exception:
        return 0
    for i, family in enumerate(families):
        if family.endswith(" SC") and "Mono" not in family:
            return i
    return 0


def _from_fontconfig(pattern: str) -> tuple[str, int] | None:
    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}\n%{index}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = out.partition("\n")
    if not path or not Path(path).is_file():
        return None
    return path, int(index or 0)


@functools.cache
def cjk_font(bold: bool = False) -> tuple[str, int]:
    """(font file, face index) of a font that draws Simplified Chinese: fontconfig's match for
    Noto Sans CJK SC, else a known Debian path. A bold face falls back to the regular one.
    Raises FontMissing when there is none."""
    candidates = []
    found = _from_fontconfig(FONTCONFIG_PATTERNS[bold])
    if found:
        candidates.append(found)
    candidates += [(p, _simplified_face(p)) for p in KNOWN_FONTS[bold] if Path(p).is_file()]
    for path, index in candidates:
        if _draws_chinese(path, index):
            return path, index
    if bold:
        return cjk_font(False)
    raise FontMissing()


# ---- drawing -------------------------------------------------------------------------------------


def png(chart: Chart, *, scale: int = 3) -> bytes:
    """The chart as a PNG, `scale` × the layout's size (3 × prints sharply at 12 cm)."""
    from PIL import Image, ImageDraw, ImageFont

    path, index = cjk_font()
    bold_path, bold_index = cjk_font(True)

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
        font=font(TITLE_SIZE, True),
        fill=TEXT_COLOUR,
        anchor="ls",
    )
    for tick in chart.ticks:
        for top, bottom in chart.grid_spans:
            draw.line([(s(tick.x), s(top)), (s(tick.x), s(bottom))], fill=GRID_COLOUR, width=scale)
        draw.text(
            (s(tick.x), s(chart.tick_y)),
            tick.text,
            font=font(TICK_SIZE),
            fill=MUTED_COLOUR,
            anchor=PIL_ANCHORS[tick.anchor],
        )
    if chart.empty:
        draw.text(
            (s(chart.empty_at[0]), s(chart.empty_at[1])),
            "本年度没有支出",
            font=font(LABEL_SIZE),
            fill=MUTED_COLOUR,
            anchor="mm",
        )
    right = chart.right
    for bar in chart.bars:
        draw.text(
            (s(chart.left), s(bar.text_y)), bar.label, font=font(LABEL_SIZE), fill=TEXT_COLOUR, anchor="ls"
        )
        draw.text(
            (s(right), s(bar.text_y)), bar.value_text, font=font(LABEL_SIZE), fill=TEXT_COLOUR, anchor="rs"
        )
        if bar.length:
            draw.rectangle(
                [s(chart.left), s(bar.bar_y), s(chart.left + bar.length), s(bar.bar_y + chart.bar_height)],
                fill=BAR_COLOUR,
            )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
