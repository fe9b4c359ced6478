#!/usr/bin/env python3
"""Figures of crates/cli/tests/real_data.rs, derived independently of
Frontline from the General Staff JSON (standard library only).

    python3 scripts/derive/tally_figures.py $FRONTLINE_DATA/general-staff-tallies

Daily value = change of the cumulative figure from the previous published
day, less the correction published for that day (the correction file lists
how much of a day's jump is a revision of earlier days). A record day is a
daily value above every earlier one since 2022-04-01 (the first weeks are
estimates); a streak counts consecutive record days.
"""
import json
import sys
from datetime import date
from pathlib import Path


def load(folder, name):
    return json.loads((Path(folder) / name).read_text())


def daily(rows, corrections, key):
    """(date, daily value) for every published day after the first."""
    fix = {r["date"]: r.get(key, 0) or 0 for r in corrections}
    out, prev = [], None
    for r in sorted(rows, key=lambda r: r["date"]):
        if r.get(key) is None:
            continue
        if prev is not None:
            out.append((r["date"], r[key] - prev - fix.get(r["date"], 0)))
        prev = r[key]
    return out


def records(series, since="2022-04-01"):
    """(date, value, previous record, streak) of each record day."""
    out, best, streak, last_day = [], None, 0, None
    for d, v in series:
        if d < since:
            continue
        if best is None or v > best:
            consecutive = last_day is not None and (date.fromisoformat(d) - date.fromisoformat(last_day)).days == 1
            streak = streak + 1 if consecutive else 1
            out.append((d, v, best, streak))
            best, last_day = v, d
    return out


def total(series, first, last):
    return sum(v for d, v in series if first <= d <= last)


def main(folder):
    personnel = load(folder, "russia_losses_personnel.json")
    equipment = load(folder, "russia_losses_equipment.json")
    corrections = load(folder, "russia_losses_equipment_correction.json")
    people = daily(personnel, corrections, "personnel")
    rec = records(people)
    print(f"personnel record days since 2022-04-01: {len(rec)}, the last {rec[-1][0]} ({rec[-1][1]})")
    for d, v, prev, streak in rec:
        if d in ("2024-11-11", "2024-11-12"):
            print(f"  {d}: {v}, previous record {prev}, streak {streak}")
    tanks = daily(equipment, corrections, "tank")
    print("tanks in November 2024:", total(tanks, "2024-11-01", "2024-11-30"))
    print("personnel in February 2025:", total(people, "2025-02-01", "2025-02-28"))
    drones = daily(equipment, corrections, "drone")
    print("drones over 2025:", total(drones, "2025-01-01", "2025-12-31"))
    top = records(tanks)[-1]
    print(f"tank record since 2022-04-01: {top[1]} on {top[0]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/general-staff-tallies")
