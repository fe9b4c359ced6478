#!/usr/bin/env python3
"""What `diff` must list when a corrected General Staff file follows the real one (#23).

Reads russia_losses_personnel.json from the folder given (the shared data's
general-staff-tallies), applies the corrections the test applies (cumulative
personnel raised on three days), and prints, independently of Frontline, the
rows a daily `series personnel` diff between the two knowledge days must hold:
for each changed day, the daily value and the cumulative figure before and
after. The daily value is the change of the cumulative figure from the day
before (the file's days follow one another; no correction file is imported).

    python3 scripts/derive/tally_revision_diff.py $FRONTLINE_DATA/general-staff-tallies
"""
import json
import sys
from pathlib import Path

# The corrections of the test (crates/cli/tests/real_data.rs): day -> added.
CORRECTED = {"2023-07-11": 50, "2024-02-01": 30, "2025-01-15": 40}


def daily(rows):
    out, prev = {}, None
    for r in rows:
        if prev is not None:
            out[r["date"]] = (r["personnel"] - prev, r["personnel"])
        prev = r["personnel"]
    return out


def main(folder):
    rows = json.loads((Path(folder) / "russia_losses_personnel.json").read_text())
    fixed = [dict(r, personnel=r["personnel"] + CORRECTED.get(r["date"], 0)) for r in rows]
    before, after = daily(rows), daily(fixed)
    for day in sorted(after):
        if before.get(day) != after[day]:
            (vb, cb), (va, ca) = before[day], after[day]
            print(f"{day} value {vb} -> {va} cumulative {cb} -> {ca}")


if __name__ == "__main__":
    main(sys.argv[1])
