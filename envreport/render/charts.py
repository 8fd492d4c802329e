"""Charts as inline SVG (matplotlib), deterministic byte for byte.

Text stays text (``svg.fonttype = "none"``), set in the report's own fonts, its language's body
fonts (:data:`envreport.render.fonts.BODY_FONTS`): WeasyPrint draws it with the fonts it embeds
for the page anyway, where glyphs as paths cost it a parse and a PDF path per letter (a third
of its drawing time), and the PDF's chart labels can be searched and copied. matplotlib
measures the labels with the same font files, so its placement holds. An English chart is in
the English body's Latin face: in the CJK font its labels would look unlike the text around
them (and cost the PDF their CJK glyphs). ``svg.hashsalt`` is fixed per chart (ids are stable
and do not collide between charts), the date metadata is dropped.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from markupsafe import Markup
from matplotlib.figure import Figure

from envreport.i18n import gettext
from envreport.render.fonts import chart_font_families
from envreport.render.formatters import Formatters

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.backend_bases import RendererBase
    from matplotlib.transforms import Bbox
    from matplotlib.typing import RcKeyType

PALETTE = ["#1b6f5c", "#7fb069", "#e6aa68", "#ca3c25", "#3a6ea5", "#8e7dbe", "#6c757d"]

_RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "font.size": 9,
    "axes.unicode_minus": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.titlesize": 10,
    # room between stacked panels for the lower panel's heading: at matplotlib's 0.2 it
    # touched the upper panel's month ticks
    "figure.subplot.hspace": 0.4,
}


def _rc(lang: str) -> dict[RcKeyType, Any]:
    """matplotlib's settings for a chart of a report in ``lang``."""
    return {**_RC, "font.family": chart_font_families(lang)}


def to_svg(fig: Figure, name: str, title: str) -> Markup:
    """``fig`` as the report's inline SVG, called inside the :func:`chart_style` the figure
    was drawn in (its fonts measure the labels again): ``name`` keeps its ids apart from the
    other charts' in the page, ``title`` labels it for screen readers."""
    buffer = io.StringIO()
    # Drawn once, then cropped to its labels by the viewBox. bbox_inches="tight" would draw
    # the figure twice (once to measure, once to write): a third of a chart's time.
    _widen_canvas(fig)
    _drop_what_a_white_page_shows_anyway(fig)
    renderers: list[RendererBase] = []
    listener = fig.canvas.mpl_connect("draw_event", lambda event: renderers.append(
        event.renderer))
    with mpl.rc_context({"svg.hashsalt": f"envreport-{name}"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        tight = fig.get_tightbbox(renderers[-1]).padded(mpl.rcParams["savefig.pad_inches"])
    fig.canvas.mpl_disconnect(listener)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = _crop(svg, tight, fig.get_figheight())
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # matplotlib's global "*{...}" rule would leak into the whole HTML page
    svg = re.sub(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", svg, flags=re.S)
    # WeasyPrint reads style="" of inline SVG as HTML CSS and warns about SVG properties;
    # presentation attributes say the same thing in a form both worlds accept
    svg = re.sub(r'\sstyle="([^"]*)"', _presentation_attributes, svg)
    svg = _unwrap_plain_groups(svg)
    # ids must be unique in the page: matplotlib numbers them per figure (text_1, ...)
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{name}-{m[1]}"', svg)
    svg = re.sub(r'(href="#|url\(#)([^")]+)', lambda m: f"{m[1]}{name}-{m[2]}", svg)
    svg = re.sub(r'\swidth="[^"]*pt"\s+height="[^"]*pt"', "", svg, count=1)
    svg = svg.replace("<svg ", f'<svg class="chart" role="img" aria-label="{_attr(title)}" ', 1)
    svg = re.sub(r">\s+<", "><", svg)
    # labels name the fonts matplotlib measured them with; a browser without them (the HTML
    # on another machine) falls back to its own sans-serif rather than to a serif
    svg = re.sub(r'(font-family="[^"]*)"', r'\1, sans-serif"', svg)
    # an unrotated label's "rotate(-0 x y)" is one more transform for WeasyPrint per label
    svg = re.sub(r'\stransform="rotate\(-0 [^")]*\)"', "", svg)
    svg = _tick_marks_as_one_path(svg)
    return Markup(svg.strip())


_MARK = re.compile(r'<defs><path id="([^"]+)" d="([ML\d\s.e+-]*)"([^>]*)/></defs>')
_USE = re.compile(r'<use xlink:href="#([^"]+)" x="([^"]+)" y="([^"]+)"([^>]*)/>')
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?")


def _tick_marks_as_one_path(svg: str) -> str:
    """``svg`` with each straight-line marker (matplotlib's tick marks: a ``<path>`` in
    ``<defs>``, ``<use>``d at every tick) drawn as one path of all its places, where the
    first of them was. WeasyPrint draws each ``<use>`` as a copy of the marker's tree, cascaded
    and drawn in a state of its own (a chart's 30 ticks: a fifth of the time it takes to
    draw the chart's shapes); the lines are the same. Ticks lie beside the plot and their
    labels, not over anything, so drawing them all at once changes nothing seen."""
    marks = {m[1]: (m[2], m[3]) for m in _MARK.finditer(svg)}
    uses = [use for use in _USE.finditer(svg) if use[1] in marks]
    # a marker some <use> draws otherwise (its own colour, say) stays as it is
    merged = {use[1] for use in uses} - {use[1] for use in uses if use[4] != marks[use[1]][1]}
    outlines = {mark: _outline(marks[mark][0]) for mark in merged}  # each parsed once
    places: dict[str, list[str]] = {}
    for use in uses:
        if use[1] in merged:
            x, y = float(use[2]), float(use[3])
            places.setdefault(use[1], []).extend(
                f"{command} {_coordinate(dx + x)} {_coordinate(dy + y)}"
                for command, dx, dy in outlines[use[1]])

    def one_path_at_the_first(use: re.Match[str]) -> str:
        if use[1] not in merged:
            return use[0]
        return f'<path d="{" ".join(places.pop(use[1]))}"{use[4]}/>' if use[1] in places \
            else ""

    svg = _USE.sub(one_path_at_the_first, svg)
    return _MARK.sub(lambda mark: "" if mark[1] in merged else mark[0], svg)


def _outline(path: str) -> list[tuple[str, float, float]]:
    """A marker's path data (``M``/``L`` commands, one point each) as (command, x, y)."""
    numbers = [float(n) for n in _NUMBER.findall(path)]
    return list(zip(re.findall(r"[ML]", path), numbers[::2], numbers[1::2], strict=True))


def _coordinate(value: float) -> str:
    """``value`` as matplotlib writes a coordinate (at most six decimals, no trailing 0)."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _drop_what_a_white_page_shows_anyway(fig: Figure) -> None:
    """No white background rectangles (the figure's, each axes'), no clip path per bar: the
    bars lie inside their axes' limits, which are set from the data. Each is one more
    element WeasyPrint draws (a clip path costs it a state and a path per bar); the chart
    looks the same on the page. Lying inside their axes, the bars cannot widen the chart's
    tight box either: they stay out of its measurement (``set_in_layout``), as they were
    while clipped to the axes (measured, each bar's box is a transform of its path: a third
    of ``get_tightbbox``), and the box is the same."""
    fig.patch.set_visible(False)
    for ax in fig.axes:
        ax.patch.set_visible(False)
        for patch in ax.patches:
            patch.set_clip_on(False)
            patch.set_in_layout(False)


_GROUP_TAG = re.compile(r"<g\b[^>]*>|</g>")
_PLAIN_GROUP = re.compile(r'<g(\s+id="[^"]*")?\s*/?>')


def _unwrap_plain_groups(svg: str) -> str:
    """``svg`` without the groups that carry nothing but an id (matplotlib wraps every
    artist in one, and nothing refers to them): their content stays where it was. Half a
    chart's elements, each of which WeasyPrint would visit and draw as a group."""
    parts: list[str] = []
    kept: list[bool] = []  # per open group: is its tag written?
    position = 0
    for tag in _GROUP_TAG.finditer(svg):
        parts.append(svg[position:tag.start()])
        position = tag.end()
        if tag[0] == "</g>":
            keep = kept.pop()
        else:
            keep = _PLAIN_GROUP.fullmatch(tag[0]) is None
            if not tag[0].endswith("/>"):
                kept.append(keep)
        if keep:
            parts.append(tag[0])
    parts.append(svg[position:])
    return "".join(parts)


#: room around a chart's figure for what lies outside it (labels, a legend below the plot):
#: matplotlib drops lines outside the canvas it writes, and the viewBox crop shows the rest
CANVAS_MARGIN_IN = 2.0


def _widen_canvas(fig: Figure) -> None:
    """Add :data:`CANVAS_MARGIN_IN` around ``fig``, its axes keeping their size and places in
    inches (the chart looks the same; only the canvas it is drawn on grows). Artists placed
    in figure coordinates (``fig.suptitle``, ``fig.legend``) would not follow: place them on
    an axes, as every chart here does."""
    width, height = fig.get_size_inches()
    margin = CANVAS_MARGIN_IN
    boxes = [(ax, ax.get_position()) for ax in fig.axes]
    fig.set_size_inches(width + 2 * margin, height + 2 * margin)
    for ax, box in boxes:
        ax.set_position(((box.x0 * width + margin) / (width + 2 * margin),
                         (box.y0 * height + margin) / (height + 2 * margin),
                         box.width * width / (width + 2 * margin),
                         box.height * height / (height + 2 * margin)))


def _crop(svg: str, box: Bbox, height_in: float) -> str:
    """``svg`` (72 units an inch, y downwards) showing only ``box`` (inches, y upwards)."""
    left, top = box.x0 * 72, (height_in - box.y1) * 72
    view = " ".join(f"{v:.3f}" for v in (left, top, box.width * 72, box.height * 72))
    return re.sub(r'viewBox="[^"]*"', f'viewBox="{view}"', svg, count=1)


def _presentation_attributes(match: re.Match[str]) -> str:
    pairs = [part.split(":", 1) for part in match[1].split(";") if ":" in part]
    return "".join(f' {key.strip()}="{value.strip()}"' for key, value in pairs)


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def new_figure(height: float) -> Figure:
    """An empty figure as wide as the report's charts, ``height`` inches high (made inside
    :func:`chart_style`)."""
    return Figure(figsize=(6.4, height), dpi=72)


#: when one bar holds more than this share of the total, the others are invisible slivers:
#: the section's table says it better than a chart
DOMINANT_SHARE = 0.9
#: a bar shorter than this share of the longest cannot be read
SLIVER_SHARE = 0.02


def _barh(name: str, title: str, labels: list[str], values: list[float], unit: str,
          fmt: Formatters, colours: str | list[str] | None = None) -> Markup | None:
    """A horizontal bar chart of the non-zero values, or ``None`` when there are fewer than
    two of them, one bar dominates or one would be a sliver (the section's table instead).
    ``title`` labels it for screen readers; the figure's caption, not a title in the plot,
    tells the reader what it shows."""
    keep = [i for i, value in enumerate(values) if value]
    labels, values = [labels[i] for i in keep], [values[i] for i in keep]
    if isinstance(colours, list):
        colours = [colours[i] for i in keep]
    if (len(values) < 2 or max(values) > DOMINANT_SHARE * sum(values)
            or min(values) < SLIVER_SHARE * max(values)):
        return None
    with chart_style(fmt.lang):
        fig = new_figure(0.45 * len(labels) + 1.0)
        ax = fig.add_subplot()
        positions = list(range(len(labels)))[::-1]
        ax.barh(positions, values, color=colours or PALETTE[0], height=0.6)
        ax.set_yticks(positions, labels)
        ax.set_xlabel(fmt.unit(unit))
        _unlabelled(ax.yaxis)  # the bars' names are its tick labels
        top = max(values) if values else 0
        for pos, value in zip(positions, values, strict=True):
            ax.text(value + top * 0.01, pos, str(fmt.number(value)), va="center", fontsize=8)
        ax.set_xlim(0, top * 1.18 if top else 1)
        ax.xaxis.set_major_formatter(_compact_ticks(fmt, lambda: ax.get_xlim()[1]))
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(nbins=5))
        return to_svg(fig, name, title)


def scope_split(ctx: dict[str, Any], fmt: Formatters) -> Markup | None:
    """Scope 1 by source beside Scope 2 location- and market-based."""
    ghg = ctx["ghg"]
    if ghg is None or ghg["scope1"] is None:
        return None
    lang = fmt.lang
    labels, values, colours = [], [], []
    for row in ghg["by_source"] or []:
        if row["value"]:
            labels.append(gettext("Scope 1", lang) + " · " + gettext(row["label"], lang))
            values.append(row["value"])
            colours.append(PALETTE[0])
    for key, msgid, colour in (("scope2_location", "Scope 2, location-based", PALETTE[4]),
                               ("scope2_market", "Scope 2, market-based", PALETTE[5])):
        if ghg[key] is not None:
            labels.append(gettext(msgid, lang))
            values.append(ghg[key])
            colours.append(colour)
    title = gettext("Scope 1 and Scope 2 emissions", lang)
    return _barh("scopes", title, labels, values, "tCO2e", fmt, colours)


def by_country(ctx: dict[str, Any], fmt: Formatters) -> Markup | None:
    """Scope 1 + Scope 2 (location-based) by host country, stacked."""
    rows = [c for c in ctx["by_country"] if c["scope1_tco2e"] is not None]
    totals = [(c["scope1_tco2e"] or 0) + (c["scope2_location_tco2e"] or 0) for c in rows]
    # a country whose bar would be a sliver beside the largest: the table below says it
    if len(rows) < 2 or min(totals) < SLIVER_SHARE * max(totals):
        return None
    lang = fmt.lang
    with chart_style(lang):
        fig = new_figure(0.45 * len(rows) + 1.2)
        ax = fig.add_subplot()
        positions = list(range(len(rows)))[::-1]
        s1 = [c["scope1_tco2e"] or 0 for c in rows]
        s2 = [c["scope2_location_tco2e"] or 0 for c in rows]
        ax.barh(positions, s1, color=PALETTE[0], height=0.6, label=gettext("Scope 1", lang))
        ax.barh(positions, s2, left=s1, color=PALETTE[4], height=0.6,
                label=gettext("Scope 2, location-based", lang))
        ax.set_yticks(positions, [fmt.country(c["country"]) for c in rows])
        ax.set_xlabel(fmt.unit("tCO2e"))
        _unlabelled(ax.yaxis)  # the countries are its tick labels
        title = gettext("Emissions by host country", lang)
        ax.set_xlim(left=0)
        # above the plot: inside it the legend would sit on the bars
        ax.legend(frameon=False, fontsize=8, ncols=2, loc="lower left",
                  bbox_to_anchor=(0.0, 1.0), borderaxespad=0.2)
        ax.xaxis.set_major_formatter(_compact_ticks(fmt, lambda: ax.get_xlim()[1]))
        locator = mpl.ticker.MaxNLocator(nbins=5)
        ax.xaxis.set_major_locator(locator)
        # the stacked bars carry no value labels: the scale must reach past the longest
        _end_on_a_tick(ax.set_xlim, locator, max(totals))
        return to_svg(fig, "countries", title)


def energy_mix(ctx: dict[str, Any], fmt: Formatters) -> Markup | None:
    """Energy consumed by fuel plus purchased energy (GJ)."""
    energy = ctx["energy"]
    if energy is None or energy["total"] is None:
        return None
    lang = fmt.lang
    labels = [gettext(row["label"], lang) for row in energy["by_fuel"] or [] if row["value"]]
    values = [row["value"] for row in energy["by_fuel"] or [] if row["value"]]
    if energy["purchased"]:
        labels.append(gettext("Purchased energy", lang))
        values.append(energy["purchased"])
    if not values:
        return None
    title = gettext("Energy consumption by source", lang)
    return _barh("energy", title, labels, values, "GJ", fmt, PALETTE[2])


def water_balance(ctx: dict[str, Any], fmt: Formatters) -> Markup | None:
    """Withdrawal by source, discharge by destination and consumption (m³)."""
    water = ctx["water"]
    if water is None or water["withdrawal"] is None:
        return None
    lang = fmt.lang
    labels, values, colours = [], [], []
    for row in water["by_source"] or []:
        labels.append(gettext("Withdrawal", lang) + " · " + gettext(row["label"], lang))
        values.append(row["value"] or 0)
        colours.append(PALETTE[4])
    for row in water["by_destination"] or []:
        labels.append(gettext("Discharge", lang) + " · " + gettext(row["label"], lang))
        values.append(row["value"] or 0)
        colours.append(PALETTE[1])
    if water["consumption"] is not None:
        labels.append(gettext("Consumption", lang))
        values.append(water["consumption"])
        colours.append(PALETTE[3])
    title = gettext("Water balance", lang)
    return _barh("water", title, labels, values, "m³", fmt, colours)


def style_panel(ax: Axes, heading: str, fmt: Formatters) -> None:
    """One panel of a stacked chart: its own tCO2e scale from zero, four compact ticks and
    its heading with the unit at the top left (Scope 2 is often a hundredth of Scope 1: on
    one scale it would not show). The unit is not a y-axis label: written vertically, the
    Chinese unit is taller than a short panel."""
    ax.set_ylim(bottom=0)
    # at y=1, where matplotlib would place it anyway (nothing of the axes is above the plot):
    # placed, matplotlib does not measure the y-axis again before each draw and measure to
    # see whether something is in the heading's way (a fifth of a stacked chart's time)
    ax.set_title(heading + fmt.unit_paren("tCO2e"), loc="left", fontsize=8, y=1.0)
    locator = mpl.ticker.MaxNLocator(nbins=4)
    ax.yaxis.set_major_locator(locator)
    _end_on_a_tick(ax.set_ylim, locator, float(ax.dataLim.y1))  # -inf when nothing is drawn
    ax.yaxis.set_major_formatter(_compact_ticks(fmt, lambda: ax.get_ylim()[1]))
    # no axis labels: the heading says what and in which unit
    _unlabelled(ax.xaxis, ax.yaxis)


def _end_on_a_tick(set_limits: Callable[[float, float], Any],
                   locator: mpl.ticker.MaxNLocator, highest: float) -> None:
    """A scale from zero that ends on the first of ``locator``'s ticks at or above
    ``highest``, so that that tick is labelled: ended at the value plus a margin, the bars
    rose past the last label (218k over a top label of 180k) and could not be read against
    the scale."""
    if math.isfinite(highest) and highest > 0:
        set_limits(0, float(locator.tick_values(0, highest)[-1]))


def _unlabelled(*axes: Axis) -> None:
    """Say that ``axes`` have no label: matplotlib would measure every tick label of the
    axis (and of the axes sharing it) around each draw to place the empty label clear of
    them (a sixth of the time it takes to write a chart)."""
    for axis in axes:
        axis.set_label_coords(0.5, 0.5)


def _compact_ticks(fmt: Formatters, axis_max: Callable[[], float]) -> mpl.ticker.Formatter:
    """Tick labels in :meth:`Formatters.compact` form against the axis maximum ``axis_max()``,
    each made once: matplotlib asks for every label each time it lays the axis out (about
    ten times per chart: drawing, measuring, placing), and Babel formats anew each time."""
    labels: dict[tuple[float, float], str] = {}

    def label(value: float, _position: int | None) -> str:
        key = (value, axis_max())
        if key not in labels:
            labels[key] = fmt.compact(*key)
        return labels[key]

    return mpl.ticker.FuncFormatter(label)

def monthly_trend(ctx: dict[str, Any], fmt: Formatters) -> Markup | None:
    """Monthly Scope 1 + 2 when the results carry a monthly series (``ghg.monthly_tco2e``:
    ``[{"month": "YYYY-MM", "scope1_tco2e", "scope2_location_tco2e"}]``), else nothing."""
    series = ctx["monthly"]
    if not series:
        return None
    lang = fmt.lang
    with chart_style(lang):
        fig = new_figure(3.6)
        # Scope 2 is often a hundredth of Scope 1: stacked on it, it would not show, so it
        # has its own panel with its own scale
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[2, 1])
        months = [str(m.get("month")) for m in series]
        # bars at numbered positions, labelled: month strings as categories would each be
        # tried as a date by matplotlib's category axis (a fifth of the chart's time)
        positions = list(range(len(months)))
        s1 = [m.get("scope1_tco2e") or 0 for m in series]
        s2 = [m.get("scope2_location_tco2e") or 0 for m in series]
        title = gettext("Monthly emissions", lang)
        for ax, values, colour, label in (
                (top, s1, PALETTE[0], gettext("Scope 1", lang)),
                (bottom, s2, PALETTE[4], gettext("Scope 2, location-based", lang))):
            ax.bar(positions, values, color=colour)
            style_panel(ax, label, fmt)
        bottom.set_xticks(positions, months)
        bottom.tick_params(axis="x", labelrotation=45, labelsize=7)
        return to_svg(fig, "monthly", title)


def all_charts(ctx: dict[str, Any], fmt: Formatters) -> dict[str, Markup | None]:
    """Every chart of the report by name; ``None`` where there is nothing to draw."""
    return {
        "scopes": scope_split(ctx, fmt),
        "countries": by_country(ctx, fmt),
        "monthly": monthly_trend(ctx, fmt),
        "energy": energy_mix(ctx, fmt),
        "water": water_balance(ctx, fmt),
    }


@contextmanager
def chart_style(lang: str) -> Iterator[None]:
    """matplotlib set as for every chart of a report in ``lang`` (fonts, sizes, spines)."""
    with mpl.rc_context(_rc(lang)):
        yield

