#!/usr/bin/env python3
"""Figures of the evidence claims in crates/cli/tests/cli.rs
(tests/fixtures/claims/evidence.csv and one `claims add`), derived from the
bundled Oryx scrape (data/oryx-scarnecchia) independently of Frontline,
standard library only:

    python3 scripts/derive/claim_figures.py data/oryx-scarnecchia

* Russian tanks of a status first seen (`date_recorded`) from the war's
  start to a day: a tank is a system whose name, less Oryx's running
  number, starts with "T-" or has the word "tank" ("Unknown tank"; not
  "tanker", a truck).
* Russian tanks destroyed with an event in 5-11 August 2024 (the event date
  read from the proof's file name by oryx_event_dates.py's rule, kept when
  between the war's start and the day first seen), all of them
  and those first seen by 12 August 2024.
"""
import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from oryx_event_dates import WAR_START, url_date  # noqa: E402


def tank(system):
    name = system.lower().lstrip("0123456789").strip().replace("'", "").replace('"', "")
    return name.startswith("t-") or re.search(r" tank\b", name) is not None


def rows(folder, status):
    with open(Path(folder) / f"event_{status}.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["country"] == "Russia" and tank(r["system"]):
                yield r


def main(folder):
    for status, to in [("destroyed", "2023-02-09"), ("captured", "2023-02-09"), ("destroyed", "2022-09-03")]:
        n = sum(1 for r in rows(folder, status) if r["date_recorded"] <= to)
        print(f"tanks {status} first seen by {to}: {n}")
    n = sum(
        1
        for s in ("destroyed", "damaged", "abandoned", "captured")
        for r in rows(folder, s)
        if r["date_recorded"] <= "2022-09-03"
    )
    print(f"tanks of any status first seen by 2022-09-03: {n}")
    def event(r):
        # Kept only when it can be right: from the war's start to the day
        # the proof was first seen.
        kind, day = url_date(r["url"])
        ok = kind == "date" and WAR_START <= day and str(day) <= r["date_recorded"]
        return str(day) if ok else ""

    week = [r for r in rows(folder, "destroyed") if "2024-08-05" <= event(r) <= "2024-08-11"]
    print("tanks destroyed with an event 2024-08-05..11:", len(week))
    print("  of them first seen by 2024-08-12:", sum(1 for r in week if r["date_recorded"] <= "2024-08-12"))


if __name__ == "__main__":
    main(sys.argv[1])
