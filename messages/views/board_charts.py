"""The board's charts as PNG images (matplotlib, Agg backend: no display, safe in a server thread).

Each is a fixed size at a fixed resolution, titled, with labelled axes and its value written on every
bar, in the Okabe-Ito colour-blind-safe palette. RAG is named on each bar as well as coloured. Aggregates
only: a chart never shows a review's reference, pseudonym or narrative (agency names are fine)."""
import functools
import io
import threading

from bot.workflow.views.board_figures import NATIONAL_WITHIN_6, NATIONAL_WITHIN_12, BoardFigures

SIZE, DPI = (8.0, 4.5), 100             # 800 x 450 pixels, every chart
BLUE, ORANGE, GREEN, VERMILION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#999999"   # Okabe-Ito
RAG_COLOURS = {"red": VERMILION, "amber": ORANGE, "green": GREEN, "complete": GREY}
RAG_NAMES = {"red": "Red (overdue)", "amber": "Amber (due soon)", "green": "Green (on track)", "complete": "Complete"}
LABEL_MAX = 32
_LOCK = threading.Lock()    # matplotlib's font cache and text layout are not thread-safe


@functools.cache
def _matplotlib():
    """Imported on the first chart, not with the bot (about a second of start-up); the Agg backend is set
    before anything could choose one: no display on a server."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator
    return Figure, MaxNLocator


def _png(fig) -> bytes:
    out = io.BytesIO()
    with _LOCK:
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _figure(title: str, left: float = 0.08):
    """Fixed margins, not a layout engine: a third of the report's time went on constrained layout."""
    figure, _ = _matplotlib()
    fig = figure(figsize=SIZE, dpi=DPI)
    fig.subplots_adjust(left=left, right=0.95, top=0.9, bottom=0.17)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=12, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _empty(ax, words: str) -> None:
    ax.text(0.5, 0.5, words, ha="center", va="center", transform=ax.transAxes, fontsize=11)
    ax.set_xticks([])
    ax.set_yticks([])


def timeliness_chart(f: BoardFigures) -> bytes:
    """Per year of notification: decided within a month, submitted within six and twelve months, with the
    national six- and twelve-month figures as dashed lines."""
    fig, ax = _figure("Timeliness by year of notification (% of reviews whose deadline has passed)")
    years = [y.year for y in f.years]
    if not years:
        _empty(ax, "No reviews notified yet")
        return _png(fig)
    series = [("Decided within one month", [y.decided_share for y in f.years], BLUE, ""),
              ("Submitted within six months of the decision", [y.within_6_share for y in f.years], ORANGE, "//"),
              ("Submitted within twelve months", [y.within_12_share for y in f.years], GREEN, "..")]
    width = 0.8 / len(series)
    for i, (label, values, colour, hatch) in enumerate(series):
        xs = [n + (i - 1) * width for n in range(len(years))]
        bars = ax.bar(xs, [v or 0 for v in values], width, label=label, color=colour, hatch=hatch,
                      edgecolor="black", linewidth=0.5)
        ax.bar_label(bars, labels=["n/a" if v is None else f"{v}%" for v in values], fontsize=8, padding=2)
    ax.axhline(NATIONAL_WITHIN_6, color="black", linestyle="--", linewidth=1,
               label=f"National: {NATIONAL_WITHIN_6}% within six months")
    ax.axhline(NATIONAL_WITHIN_12, color="black", linestyle=":", linewidth=1.5,
               label=f"National: {NATIONAL_WITHIN_12}% within twelve months")
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_ylim(0, 115)
    ax.set_xlabel("Year of notification")
    ax.set_ylabel("Per cent of reviews")
    ax.legend(fontsize=7, loc="upper left", ncols=2, frameon=False)
    fig.text(0.01, 0.01, "National: BBC analysis of 495 reviews in the Home Office library, June 2025", fontsize=7)
    return _png(fig)


def _barh(title: str, xlabel: str, labels: list[str], values: list[float], colours: list[str] | str,
          empty: str, fmt: str = "{:g}") -> bytes:
    fig, ax = _figure(title, left=0.32)
    if not labels:
        _empty(ax, empty)
        return _png(fig)
    ys = list(range(len(labels)))[::-1]             # the first label at the top
    bars = ax.barh(ys, values, color=colours, edgecolor="black", linewidth=0.5)
    ax.bar_label(bars, labels=[fmt.format(v) for v in values], fontsize=9, padding=3)
    # The margin holds about 32 characters; the table under the chart has the full name.
    ax.set_yticks(ys, [x if len(x) <= LABEL_MAX else x[:LABEL_MAX - 1] + "\u2026" for x in labels], fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, max(values) * 1.15 or 1)
    ax.xaxis.set_major_locator(_matplotlib()[1](integer=True))     # counts and whole days
    return _png(fig)


def stage_time_chart(f: BoardFigures) -> bytes:
    return _barh("Median days in each stage (completed stays)", "Days (median)",
                 [f"{s.label} ({s.stays})" for s in f.stage_times], [s.median_days for s in f.stage_times],
                 BLUE, "No review has left a stage yet")


def open_stage_chart(f: BoardFigures) -> bytes:
    return _barh("Reviews open, by stage", "Reviews", [label for label, _ in f.open_by_stage],
                 [n for _, n in f.open_by_stage], BLUE, "No review is open")


def rag_chart(f: BoardFigures) -> bytes:
    keys = [k for k, n in f.actions_by_rag.items() if n]
    return _barh("Actions of the action plans, by RAG status", "Actions", [RAG_NAMES[k] for k in keys],
                 [f.actions_by_rag[k] for k in keys], [RAG_COLOURS[k] for k in keys], "No actions recorded")


def overdue_chart(f: BoardFigures) -> bytes:
    shown = f.overdue_by_agency[:15]
    return _barh("Overdue evidence requests, by agency", "Items overdue", [name for name, _ in shown],
                 [n for _, n in shown], VERMILION, "No evidence is overdue")


# The board report's charts, in its order: (heading, renderer).
CHARTS = (("Timeliness", timeliness_chart), ("Time in each stage", stage_time_chart),
          ("Reviews open by stage", open_stage_chart), ("Actions by RAG status", rag_chart),
          ("Overdue evidence by agency", overdue_chart))
