#!/usr/bin/env python3
"""Independent derivation of the Oryx event-date figures checked in
crates/cli/tests/real_losses.rs (standard library only, no Frontline code).

Rule, from docs/losses.md: the event date is the date at the end of the
proof file name, `...-DD-MM-YY.ext` or `...-YYYY-MM-DD.ext`. A date-like tail
preceded by another digit (`...-113-08-24`) is unreadable, as is a tail that
is no calendar date. A date before the invasion (2022-02-24) or after the
row's first-seen date (`date_recorded`) cannot be right. Unreadable and
impossible dates are counted; such items keep no event date.

    python3 scripts/derive/oryx_event_dates.py ../shared/data/oryx-scarnecchia
"""
import csv
import datetime as dt
import re
import sys
from pathlib import Path

WAR_START = dt.date(2022, 2, 24)
ISO = re.compile(r"(\d)?(\d{4})-(\d{2})-(\d{2})$")
DMY = re.compile(r"(\d)?(\d{2})-(\d{2})-(\d{2})$")


def url_date(url):
    """('absent'|'date'|'unreadable', date or None)"""
    stem = url.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for pattern, order in ((ISO, "ymd"), (DMY, "dmy")):
        m = pattern.search(stem)
        if not m:
            continue
        if m.group(1):
            return "unreadable", None
        a, b, c = (int(x) for x in m.groups()[1:])
        y, mo, d = (a, b, c) if order == "ymd" else (2000 + c, b, a)
        try:
            return "date", dt.date(y, mo, d)
        except ValueError:
            return "unreadable", None
    return "absent", None


def main(folder):
    dated = unreadable = rows = 0
    for status in ("destroyed", "damaged", "abandoned", "captured"):
        with open(Path(folder) / f"event_{status}.csv", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                rows += 1
                seen = dt.date.fromisoformat(row["date_recorded"])
                kind, d = url_date(row["url"])
                if kind == "date" and WAR_START <= d <= seen:
                    dated += 1
                elif kind != "absent":
                    unreadable += 1
    print(f"rows {rows}, with an event date {dated}, date unreadable {unreadable}")


if __name__ == "__main__":
    main(sys.argv[1])
