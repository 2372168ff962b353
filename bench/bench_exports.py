"""Speed of the exports, against a peer measured in the same run.

The deck (8 slides, 3 charts at 2,000 px), the PDF one-pager and the workbook of one case, built
from a projection with 1,000 draws. Target: the deck in under 5 s. Peer: the same three charts saved the way Altair
documents it (``chart.save("x.png", scale_factor=2)``, which validates the spec against the
Vega-Lite schema before rendering through the same vl-convert).

Run with ``make bench``; the README quotes the latest figures.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import median_s
from exports.content import facts
from exports.images import png
from exports.one_page import onepager
from exports.slides import deck
from exports.spreadsheet import workbook
from model.engine import SEED, simulate
from view import charts
from view.controls import scenario_of

VALUES = {"centre_on": True, "centre_utc_offset_h": 1.0}
RUNS = 5


def main() -> None:
    scenario = scenario_of(VALUES)
    p = simulate(scenario, draws=1000, seed=SEED)
    f = facts(VALUES, scenario, p)
    built = [charts.cash_fan(p), charts.waterfall(p), charts.tornado(p)]
    png(built[0], "USD")                                     # the renderer's first call loads its engine
    deck_median = median_s(lambda: deck([(f, p)]), RUNS)
    xlsx_median = median_s(lambda: workbook(f, scenario, p), RUNS)
    pdf_median = median_s(lambda: onepager(f, p), RUNS)
    ours_median = median_s(lambda: [png(c, "USD", width_px=1000, height_px=440, scale=2) for c in built], RUNS)
    folder = Path(tempfile.mkdtemp())

    def altair_save() -> None:
        for i, c in enumerate(built):
            c.properties(width=1000, height=440).save(str(folder / f"c{i}.png"), scale_factor=2)

    peer_median = median_s(altair_save, RUNS)
    size = len(deck([(f, p)]))
    print(f"deck, 8 slides, {size / 1e3:,.0f} kB: median {deck_median:.2f} s over {RUNS} builds (target 5 s)")
    print(f"PDF one-pager, {len(onepager(f, p)) / 1e3:,.0f} kB: median {pdf_median:.2f} s")
    print(f"workbook, 7 sheets: median {xlsx_median:.2f} s")
    print(f"three chart images: ours {ours_median:.2f} s, Altair's chart.save {peer_median:.2f} s "
          f"({peer_median / ours_median:.1f}x)")



if __name__ == "__main__":
    main()
