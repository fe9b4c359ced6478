#!/usr/bin/env python3
"""Figures of crates/cli/tests/real_counts.rs, from the ualosses-mediazona
vintages read directly (standard library only):

    python3 scripts/derive/vintage_figures.py $FRONTLINE_DATA

* Ukraine, monthly (raw): killed and missing of 2025-07 in the vintages of
  2025-08-21, 2025-09-01 and 2025-10-28;
* Ukraine, weekly (raw): the total of 2025-W30 in the same vintages;
* the 2025-11-08 vintage against 2025-10-28: the missing of the months
  that ended 60 days or more before 2025-10-28 (the settled ones);
* Russia, weekly: which periods of the 2025-08-21 vintage the 2025-10-28
  one changes, and which it adds;
* Mediazona's named dead of February 2025 in its 2025-11-08 vintage (the
  General Staff's claim for that month, 35,300, is tally_figures.py's);
* the naive nowcast's error: Ukraine's months younger than a year on
  2025-09-01 (ended less than 365 days before), the mean absolute
  difference of their killed between the 2025-09-01 and 2025-10-28
  vintages.
"""
import datetime as dt
import json
import sys
from pathlib import Path


def load(folder, name):
    return json.load(open(Path(folder) / "ualosses-mediazona-vintages" / name, encoding="utf-8"))


def month_end(key):
    y, m = (int(x) for x in key.split("-"))
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def main(folder):
    vintages = ["2025-08-21", "2025-09-01", "2025-10-28"]
    for v in vintages:
        m = load(folder, f"ukraine_monthly-raw_{v}.json")["2025-07"]
        w = load(folder, f"ukraine_weekly-raw_{v}.json")["2025-W30"]
        print(f"{v}: 2025-07 killed {m['deaths']} missing {m['missing']}; 2025-W30 total {w['total']}")
    old, new = load(folder, "ukraine_monthly-raw_2025-10-28.json"), load(folder, "ukraine_monthly-raw_2025-11-08.json")
    cut = dt.date(2025, 10, 28) - dt.timedelta(days=60)
    settled = [k for k in old if month_end(k) <= cut and k in new]
    print(
        f"settled months by {cut}: {len(settled)}; missing {sum(old[k]['missing'] for k in settled)} "
        f"-> {sum(new[k]['missing'] for k in settled)}"
    )
    a, b = load(folder, "russia_weekly_2025-08-21.json"), load(folder, "russia_weekly_2025-10-28.json")
    print("russia weekly 2025-10-28 changes:", [k for k in a if a[k] != b.get(k)], "adds:", [k for k in b if k not in a])
    print("russia weekly 2025-08-21 last period:", max(a, key=lambda k: (int(k[:4]), int(k[6:]))))
    b, c = load(folder, "ukraine_monthly-raw_2025-09-01.json"), load(folder, "ukraine_monthly-raw_2025-10-28.json")
    young = [k for k in b if 0 <= (dt.date(2025, 9, 1) - month_end(k)).days < 365 and k in c]
    mae = sum(abs(b[k]["deaths"] - c[k]["deaths"]) for k in young) / len(young)
    print(f"naive nowcast at 2025-09-01 scored at 2025-10-28: {len(young)} months, MAE {mae:.3f}")
    named = load(folder, "russia_monthly_2025-11-08.json")["2025-02"]["deaths"]
    print(f"Mediazona, vintage 2025-11-08: Russia's named dead of 2025-02: {named}")


if __name__ == "__main__":
    main(sys.argv[1])
