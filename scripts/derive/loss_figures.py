#!/usr/bin/env python3
"""Figures of crates/cli/tests/real_losses.rs beyond the event-date counts
(those are oryx_event_dates.py), derived independently of Frontline from
the Oryx and WarSpotting CSVs (standard library only).

    python3 scripts/derive/loss_figures.py $FRONTLINE_DATA

* Oryx reporting lag: first-seen date (`date_recorded`) less the event date
  read from the proof file name (the rule of oryx_event_dates.py), per month
  of first sighting: count, median, 90th percentile by linear interpolation
  between order statistics (numpy's default).
* Oryx items with an event date in September 2024, as known on 2024-12-01
  (first seen, `date_recorded`, by then) and now (#23's `--as-of`).
* The median lag of the items first seen from 2024-09-01 to 2024-11-30
  (autumn 2024), and from 2023-12-02 to 2024-12-01 (the 12 months before a
  claim said on 2024-12-01: what "usually" means), for the `lag` claims of
  crates/cli/tests/real_losses.rs.
* WarSpotting tanks with an event date in June 2023 (both sides).
* Items both lists prove with the same URL: per URL, the smaller of the two
  lists' counts of Russian items.
"""
import csv
import datetime as dt
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from oryx_event_dates import WAR_START, url_date  # noqa: E402

STATUSES = ("destroyed", "damaged", "abandoned", "captured")


def percentile(sorted_values, p):
    """Linear interpolation between order statistics (numpy's default)."""
    at = p * (len(sorted_values) - 1)
    lo = int(at)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (at - lo)


def oryx_rows(folder):
    for status in STATUSES:
        with open(Path(folder) / f"event_{status}.csv", newline="", encoding="utf-8") as f:
            yield from csv.DictReader(f)


def main(data):
    data = Path(data)
    lags = defaultdict(list)
    by_seen = []
    oryx_urls = Counter()
    september = {"2024-12-01": 0, "now": 0}
    for row in oryx_rows(data / "oryx-scarnecchia"):
        if row["country"].lower() == "russia":
            oryx_urls[row["url"]] += 1
        seen = dt.date.fromisoformat(row["date_recorded"])
        kind, event = url_date(row["url"])
        if kind == "date" and WAR_START <= event <= seen:
            lags[seen.strftime("%Y-%m")].append((seen - event).days)
            by_seen.append((seen, (seen - event).days))
            if event.strftime("%Y-%m") == "2024-09":
                september["now"] += 1
                september["2024-12-01"] += seen <= dt.date(2024, 12, 1)
    print("Oryx items with a lag:", sum(len(v) for v in lags.values()))
    sep = sorted(lags["2024-09"])
    print(
        f"first seen 2024-09: n = {len(sep)}, median {percentile(sep, 0.5)} days, "
        f"90th percentile {round(percentile(sep, 0.9), 1)} days"
    )

    print("Oryx items with an event in 2024-09, known by 2024-12-01 / now:", september)
    for a, b in (("2024-09-01", "2024-11-30"), ("2023-12-02", "2024-12-01")):
        a, b = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
        v = sorted(lag for seen, lag in by_seen if a <= seen <= b)
        print(f"first seen {a} to {b}: n = {len(v)}, median {percentile(v, 0.5)} days")

    tanks = 0
    ws_urls = Counter()
    with open(data / "warspotting-2024-05" / "losses.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["type"] == "Tanks" and row["date"].startswith("2023-06"):
                tanks += 1
            if row["lost_by"].lower() == "russia" and row["oryx_url"]:
                ws_urls[row["oryx_url"]] += 1
    print("WarSpotting tanks with an event in June 2023:", tanks)
    shared = sum(min(n, oryx_urls[u]) for u, n in ws_urls.items() if u in oryx_urls)
    print("Russian items both lists prove with the same URL:", shared)


if __name__ == "__main__":
    main(sys.argv[1])
