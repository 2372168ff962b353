"""Sites read from when agents reply: two teams in two time zones come back as two sites with their hours."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from calibration.sites import infer_sites, reply_times
from model import MON_FRI, Site, saas


def replies(team: dict[str, tuple[float, float, tuple[int, ...]]], weeks: int = 6, per_day: int = 12,
            seed: int = 5) -> pd.DataFrame:
    """Tickets whose first replies fall in each agent's UTC shift (start, end hour) on their days."""
    rng = np.random.default_rng(seed)
    rows = []
    monday = pd.Timestamp("2026-09-07", tz="UTC")
    for agent, (start, end, days) in team.items():
        for week in range(weeks):
            for day in days:
                hours = rng.uniform(start, end, per_day)
                for h in hours:
                    reply = monday + pd.Timedelta(days=7 * week + day, hours=float(h))
                    rows.append({"agent": agent, "created": reply - pd.Timedelta(minutes=30),
                                 "first_response_h": 0.5})
    return pd.DataFrame(rows)


def test_two_teams_in_two_time_zones_are_two_sites():
    warsaw = {f"W{i}": (7.0, 15.0, MON_FRI) for i in range(5)}          # 8-16 local at UTC+1
    new_york = {f"N{i}": (14.0, 22.0, MON_FRI) for i in range(3)}       # 9-17 local at UTC-5
    guesses = infer_sites(replies({**warsaw, **new_york}))
    assert [(g.open_utc_h, g.close_utc_h, g.open_days, len(g.agents)) for g in guesses] == [
        (7, 15, MON_FRI, 5), (14, 22, MON_FRI, 3)]
    assert guesses[1].utc_offset_h == -5.0 and (guesses[1].open_h, guesses[1].close_h) == (9.0, 17.0)
    assert guesses[0].utc_offset_h == 2.0            # guessed from a 9:00 opening: the user confirms or edits
    assert 3.0 <= guesses[0].on_duty_mean <= 5.0


def test_a_site_the_company_has_lends_its_time_zone():
    company = dataclasses.replace(saas(), sites=(Site("Warsaw", 1.0, 8.0, 16.0, MON_FRI, 5.0, 0.3, 14000.0),))
    guesses = infer_sites(replies({f"W{i}": (7.0, 15.0, MON_FRI) for i in range(4)}), company)
    assert guesses[0].utc_offset_h == 1.0 and (guesses[0].open_h, guesses[0].close_h) == (8.0, 16.0)


def test_a_night_shift_across_midnight_utc_is_one_window_on_its_starting_days():
    guesses = infer_sites(replies({f"S{i}": (22.0, 30.0, MON_FRI) for i in range(3)}))   # 22:00 to 06:00 UTC
    assert [(g.open_utc_h, g.close_utc_h, g.open_days) for g in guesses] == [(22, 6, MON_FRI)]


def test_without_agents_or_replies_there_is_nothing_to_infer():
    assert infer_sites(None) == []
    assert infer_sites(pd.DataFrame({"created": [pd.Timestamp("2026-01-01", tz="UTC")]})) == []
    few = replies({"A": (9.0, 17.0, MON_FRI)}, weeks=1, per_day=2)
    assert infer_sites(few) == [] and len(reply_times(few)) == 10
