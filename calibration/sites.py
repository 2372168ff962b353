"""Support sites as the ticket export shows them: when each agent replies, grouped into sites.

Each agent's replies (the first reply of each ticket they handled: ``first_reply``, else ``created``
plus ``first_response_h``) fall into a daily window of UTC hours; agents whose windows start within
:data:`SAME_SHIFT_H` hours of each other and who work the same days form one site. A site's UTC window
is its agents' median window; its time zone is not in the data, so the guess is the offset at which
the site would open at :data:`USUAL_OPENING_H` local time, or the offset of a site the company already
has with that window. The user confirms or edits every guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import Company

MIN_AGENT_REPLIES = 20      # an agent with fewer replies says too little about their hours
WINDOW_SHARE = 0.9          # an agent's window holds this share of their replies
DAY_SHARE = 0.05            # a day with less than this share of an agent's replies is not a working day
SAME_SHIFT_H = 1.5
USUAL_OPENING_H = 9.0


@dataclass(frozen=True)
class SiteGuess:
    """A site the replies show: its UTC window, days, agents and a guessed time zone (to be confirmed)."""

    open_utc_h: int
    close_utc_h: int
    open_days: tuple[int, ...]          # days of the shift's start, Mon = 0 (UTC)
    agents: tuple[str, ...]
    on_duty_mean: float                 # mean distinct agents replying in an open hour
    replies: int
    utc_offset_h: float                 # the guess

    @property
    def open_h(self) -> float:
        return (self.open_utc_h + self.utc_offset_h) % 24

    @property
    def close_h(self) -> float:
        close = (self.close_utc_h + self.utc_offset_h) % 24
        return 24.0 if close == 0 else close


def reply_times(tickets: pd.DataFrame) -> pd.DataFrame:
    """(agent, reply time in UTC) of every ticket with both."""
    if tickets is None or "agent" not in tickets:
        return pd.DataFrame({"agent": pd.Series(dtype="string"), "at": pd.Series(dtype="datetime64[ns, UTC]")})
    if "first_reply" in tickets:
        at = pd.to_datetime(tickets["first_reply"], utc=True, errors="coerce")
    else:
        at = pd.Series(pd.NaT, index=tickets.index, dtype="datetime64[ns, UTC]")
    if "created" in tickets and "first_response_h" in tickets:
        derived = pd.to_datetime(tickets["created"], utc=True, errors="coerce") + pd.to_timedelta(
            pd.to_numeric(tickets["first_response_h"], errors="coerce"), unit="h")
        at = at.fillna(derived)
    out = pd.DataFrame({"agent": tickets["agent"].astype("string").str.strip(), "at": at})
    return out[out["agent"].notna() & (out["agent"] != "") & out["at"].notna()].reset_index(drop=True)


def _windows(hours: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per agent (rows of 24 hourly counts): the shortest circular window holding WINDOW_SHARE of the replies,
    as (start hour, length in hours); ties go to the window holding more."""
    n = hours.shape[0]
    doubled = np.concatenate([hours, hours], axis=1)
    cum = np.concatenate([np.zeros((n, 1)), np.cumsum(doubled, axis=1)], axis=1)
    starts = np.arange(24)
    lengths = np.arange(1, 25)
    mass = cum[:, starts[:, None] + lengths[None, :]] - cum[:, starts[:, None]]     # (agents, start, length)
    share = mass / np.maximum(hours.sum(axis=1), 1)[:, None, None]
    enough = share >= WINDOW_SHARE - 1e-12
    length_of = np.where(enough, lengths[None, None, :], 99).min(axis=2)            # (agents, start)
    best_length = length_of.min(axis=1)
    candidates = np.where(length_of == best_length[:, None], mass[np.arange(n)[:, None], starts[None, :],
                                                                    best_length[:, None] - 1], -1)
    return candidates.argmax(axis=1), best_length


def infer_sites(tickets: pd.DataFrame | None, company: Company | None = None) -> list[SiteGuess]:
    """The sites the ticket export shows, largest first; empty without an agent column or enough replies."""
    replies = reply_times(tickets) if tickets is not None else reply_times(None)
    counts = replies["agent"].value_counts()
    agents = counts[counts >= MIN_AGENT_REPLIES].index
    replies = replies[replies["agent"].isin(agents)]
    if replies.empty:
        return []
    names = np.array(sorted(agents))
    row = pd.Index(names).get_indexer(replies["agent"])
    hour = replies["at"].dt.hour.to_numpy()
    hours = np.zeros((len(names), 24))
    np.add.at(hours, (row, hour), 1.0)
    start, length = _windows(hours)
    # the day a reply's shift started: a shift across midnight UTC counts as the day it began
    shifted = replies["at"] - pd.to_timedelta(start[row], unit="h")
    days = np.zeros((len(names), 7))
    np.add.at(days, (row, shifted.dt.day_of_week.to_numpy()), 1.0)
    works = days / days.sum(axis=1, keepdims=True) >= DAY_SHARE

    groups: list[list[int]] = []
    for i in np.argsort(start, kind="stable"):
        for group in groups:
            first = group[0]
            apart = abs((start[i] - start[first] + 12) % 24 - 12)
            if apart <= SAME_SHIFT_H and (works[i] == works[first]).all():
                group.append(i)
                break
        else:
            groups.append([i])

    known = {(round(s.open_h - s.utc_offset_h) % 24): s.utc_offset_h for s in (company.sites if company else ())}
    weeks = max((replies["at"].max() - replies["at"].min()) / pd.Timedelta(days=7), 1.0)
    guesses = []
    for group in groups:
        open_utc = int(np.median(start[group]))
        close_utc = int((open_utc + np.median(length[group])) % 24)
        chosen = tuple(int(d) for d in np.flatnonzero(works[group].mean(axis=0) >= 0.5))
        mine = replies[np.isin(row, group)]
        in_window = ((mine["at"].dt.hour - open_utc) % 24) < np.median(length[group])
        per_hour = mine[in_window].groupby(mine["at"].dt.floor("h"))["agent"].nunique()
        open_hours = max(len(chosen), 1) * float(np.median(length[group])) * weeks
        offset = known.get(open_utc, float(((USUAL_OPENING_H - open_utc + 12) % 24) - 12))
        guesses.append(SiteGuess(open_utc, close_utc, chosen, tuple(names[group]), float(per_hour.sum() / open_hours),
                                 int(len(mine)), offset))
    return sorted(guesses, key=lambda g: -len(g.agents))
