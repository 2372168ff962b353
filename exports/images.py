"""Charts as PNG and SVG files, rendered offline by vl-convert from the same Altair specs the pages draw."""

from __future__ import annotations

import copy
from typing import Any

import vl_convert as vlc

from view.charts import localized

VEGA_LITE = "6.4"          # the Vega-Lite version Altair 6 writes
WIDTH_PX = 880
HEIGHT_PX = 420
PNG_SCALE = 2.5            # 2,200 px wide: sharp on a projector and in print
TYPE = {"axis": {"labelFontSize": 14, "titleFontSize": 15}, "legend": {"labelFontSize": 14, "titleFontSize": 14},
        "title": {"fontSize": 18, "subtitleFontSize": 14}, "header": {"labelFontSize": 14}}


def _spec(chart: Any, currency: str, width_px: int, height_px: int = HEIGHT_PX, titled: bool = True) -> dict:
    """The chart's spec at a fixed size with type for reading at a distance (a page's charts fit their container,
    a file has none); ``titled=False`` leaves the title to the document around the chart. ``chart`` is an Altair
    chart or a Vega-Lite spec already in the currency's locale (what a page drew)."""
    spec = copy.deepcopy(chart) if isinstance(chart, dict) else localized(chart, currency).to_dict(validate=False)
    if not titled:
        for part in [spec, *spec.get("layer", [])]:
            part.pop("title", None)
    spec["width"], spec["height"] = width_px, height_px
    for layer in spec.get("layer", []):
        layer.pop("height", None)
    spec["autosize"] = {"type": "pad"}
    config = spec.setdefault("config", {})
    config.setdefault("font", "Liberation Sans, Arial, Helvetica, sans-serif")
    for part, sizes in TYPE.items():
        config[part] = {**config.get(part, {}), **sizes}
    return spec


def png(chart: Any, currency: str, width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX,
        scale: float = PNG_SCALE, titled: bool = True) -> bytes:
    return vlc.vegalite_to_png(_spec(chart, currency, width_px, height_px, titled), scale=scale, vl_version=VEGA_LITE)


def svg(chart: Any, currency: str, width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX) -> str:
    return vlc.vegalite_to_svg(_spec(chart, currency, width_px, height_px), vl_version=VEGA_LITE)
