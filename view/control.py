"""One control the manager can move: its key (= URL parameter = parameter name), range, help, and how a link's text
is read into its value. The catalogue is ``view.controls``; the AI agent's controls are ``view.ai_controls``."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from model import MULTIPLIER_BOUNDS

PCT = "percent"
MONTH = dict(min=0, max=24, step=1)


@dataclass(frozen=True)
class Control:
    key: str
    label: str
    kind: str                 # "slider", "number", "select", "toggle"
    default: Any
    group: str
    help: str
    min: float | None = None
    max: float | None = None
    step: float | None = None
    format: str | None = None
    options: tuple[Any, ...] = ()
    money: bool = True        # a "number" is an amount in the case's currency unless said otherwise

    def parse(self, raw: str) -> Any:
        """The value of a URL parameter, or ValueError saying why it is not acceptable."""
        if self.kind == "toggle":
            if raw.lower() in ("true", "1", "yes"):
                return True
            if raw.lower() in ("false", "0", "no"):
                return False
            raise ValueError("expected true or false")
        if self.kind == "range":
            low, high = parse_range(raw)
            return range_text(low, high)
        if self.kind == "plan":               # read against the company by check_params
            return raw
        if self.kind == "select":
            choices = [str(o) for o in self.options if o != ""]
            if raw not in choices:
                raise ValueError(f"expected one of {', '.join(choices)}")
            return raw
        try:
            value = float(raw)
        except ValueError:
            raise ValueError("expected a number") from None
        if not math.isfinite(value):
            raise ValueError("expected a finite number")
        assert self.min is not None and self.max is not None
        if not self.min <= value <= self.max:
            raise ValueError(f"expected {self.shown(self.min)} to {self.shown(self.max)}")
        if self.kind == "slider" and self.step:
            steps = (value - self.min) / self.step
            if abs(steps - round(steps)) > 1e-6:
                raise ValueError(f"expected a step of {self.shown(self.step)} from {self.shown(self.min)}")
        return int(value) if isinstance(self.default, int) and value.is_integer() else value

    def shown(self, value: float) -> str:
        """A value as the control shows it (fractions as percents)."""
        return f"{value * 100:g} %" if self.format == PCT else f"{value:g}"


def control(key: str, label: str, kind: str, default: Any, group: str, help: str, **kw: Any) -> Control:
    return Control(key, label, kind, default, group, help, **kw)


def range_text(low: float, high: float) -> str:
    """How a 90 % interval of a multiplier is written: "0.85 to 1.15" (a single value if certain)."""
    return f"{low:g}" if low == high else f"{low:g} to {high:g}"


def parse_range(raw: str) -> tuple[float, float]:
    """"0.85 to 1.15", "0.85-1.15", "0.85 – 1.15" or a single value -> (low, high), else ValueError."""
    text = str(raw).strip().lower()
    if len(text) > 40:
        raise ValueError("expected at most 40 characters")
    parts = [p.strip() for p in re.split(r"to|–|—|\.\.|(?<=\d)\s*-(?=\s*[\d.])", text)]
    if not 1 <= len(parts) <= 2 or not all(parts):
        raise ValueError('write the 90 % interval as "low to high", e.g. "0.8 to 1.2"')
    try:
        values = [float(p.replace(",", ".")) for p in parts]
    except ValueError:
        raise ValueError('write the 90 % interval as numbers, "low to high", e.g. "0.8 to 1.2"') from None
    low, high = values[0], values[-1]
    if not all(math.isfinite(v) for v in values):
        raise ValueError("expected finite numbers")
    if low > high:
        raise ValueError(f"the low end {low:g} is above the high end {high:g}")
    if low < MULTIPLIER_BOUNDS[0] or high > MULTIPLIER_BOUNDS[1]:
        raise ValueError(f"a multiplier must be {MULTIPLIER_BOUNDS[0]:g} to {MULTIPLIER_BOUNDS[1]:g}")
    return low, high
