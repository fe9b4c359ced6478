#!/usr/bin/env python3
"""The series breaks of the General Staff files, derived without Frontline (#23).

For every category of russia_losses_equipment.json and
russia_losses_personnel.json (POW included, lower-cased as Frontline names
them), its first and last day with a figure, against the first and last day
of any figure in the two files: a category starting later "starts" (or
"continues" the categories the General Staff merged into it, when they stop
the day before it starts), one ending earlier "stops". Prints
`DAY CATEGORY KIND`, by day then category.

    python3 scripts/derive/tally_breaks.py $FRONTLINE_DATA/general-staff-tallies
"""
import json
import sys
from datetime import date, timedelta
from pathlib import Path

# The merges the General Staff made (successor: predecessors), from its
# own reports; the same list Frontline's parser applies.
MERGES = {"vehicles and fuel tanks": ["military auto", "fuel tank"], "cruise missiles": ["mobile srbm system"]}
NOT_FIGURES = {"date", "day", "greatest losses direction"}


def spans(folder):
    out = {}
    for name in ["russia_losses_equipment.json", "russia_losses_personnel.json"]:
        for row in json.loads((Path(folder) / name).read_text()):
            for k, v in row.items():
                if k in NOT_FIGURES or k.endswith("*") or not isinstance(v, (int, float)):
                    continue
                c = k.lower()
                d = date.fromisoformat(row["date"])
                f, l = out.get(c, (d, d))
                out[c] = (min(f, d), max(l, d))
    return out


def main(folder):
    s = spans(folder)
    first = min(f for f, _ in s.values())
    last = max(l for _, l in s.values())
    rows = []
    for c, (f, l) in s.items():
        preds = MERGES.get(c, [])
        merged = preds and all(p in s and s[p][1] == f - timedelta(days=1) for p in preds)
        if merged:
            rows.append((f, c, "continues"))
        elif f > first:
            rows.append((f, c, "starts"))
        if l < last:
            rows.append((l, c, "stops"))
    for d, c, k in sorted(rows):
        print(d, c, k)


if __name__ == "__main__":
    main(sys.argv[1])
