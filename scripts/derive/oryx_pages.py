#!/usr/bin/env python3
"""Independent derivation of the Oryx page figures checked in
crates/ingest/tests/real_oryx_pages.rs (standard library only, no Frontline
code: html.parser instead of the Rust tokenizer, regular expressions instead
of hand-written scanning).

Rules, from docs/sync.md: the summary heading `<Side> - N, of which …` names
the side and its stated total; a heading `Name (N, of which …)` opens a
category; each `(…)` link under it proves the items whose numbers open its
text (`6 and 7, destroyed` = 2 items); the status is the last comma part of
the rest, by the state the item ended in (destroyed / sunk / scuttled /
beyond economical repair > captured > abandoned > damaged).

    python3 scripts/derive/oryx_pages.py ../shared/data/recorded-responses/oryx/borderlands_russia.html
"""
import collections
import re
import sys
from html.parser import HTMLParser


class Events(HTMLParser):
    """Headings, list items and links, in page order (script bodies are
    CDATA for html.parser, so their strings are not read as tags)."""

    def __init__(self):
        super().__init__()
        self.events, self.buf, self.href = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "h3":
            self.buf = ["h3", ""]
        elif tag == "li":
            self.events.append(("li",))
        elif tag == "a" and self.buf is None:
            self.buf, self.href = ["a", ""], dict(attrs).get("href")

    def handle_endtag(self, tag):
        if self.buf and tag == self.buf[0]:
            self.events.append(("a", self.href, self.buf[1]) if tag == "a" else ("h3", self.buf[1]))
            self.buf = None

    def handle_data(self, d):
        if self.buf is not None:
            self.buf[1] += d


def status(t):
    t = t.lower()
    if any(w in t for w in ("destroyed", "sunk", "scuttled", "beyond economical repair")):
        return "destroyed"
    if "captured" in t:
        return "captured"
    if "abandoned" in t or "abanonded" in t:
        return "abandoned"
    if "damaged" in t or "damagd" in t:
        return "damaged"
    return None


SUMMARY = re.compile(r"^(\w+) - (\d+), of which")
CATEGORY = re.compile(r"^(.+?)\s*\((\d+), of which .*\)$")
# Numbers are separated by any mix of commas, spaces and "and": the pages
# write "9, and 10", "5, 6, and 7" and "69 70".
NUMBERS = re.compile(r"^(\d+(?:(?:\s|,|and)+\d+)*)\s*,?\s*(.*)$")


def main(path):
    p = Events()
    p.feed(open(path, encoding="utf-8").read())
    side, stated, cat = None, None, None
    per_status, per_cat, unread = collections.Counter(), collections.OrderedDict(), 0
    for e in p.events:
        if e[0] == "h3":
            t = " ".join(e[1].split())
            cat = None
            if side is None and (m := SUMMARY.match(t)):
                side, stated = m.group(1).lower(), int(m.group(2))
            elif m := CATEGORY.match(t):
                cat = m.group(1)
                per_cat[cat] = [int(m.group(2)), 0]
        elif e[0] == "a" and cat:
            m = re.fullmatch(r"\s*\((.*)\)\s*", e[2], re.S)
            if not m:
                continue
            body = " ".join(m.group(1).split())
            m2 = NUMBERS.match(body)
            st = status(m2.group(2).split(",")[-1]) if m2 else None
            if st is None:
                unread += 1
                continue
            n = len(re.findall(r"\d+", m2.group(1)))
            per_status[st] += n
            per_cat[cat][1] += n
    print(f"side {side} stated {stated} read {sum(per_status.values())} unread links {unread}")
    print("by status", dict(sorted(per_status.items())))
    print("categories", len(per_cat))
    for c, (s, r) in per_cat.items():
        print(f"  {c}: stated {s}, read {r}")


if __name__ == "__main__":
    main(sys.argv[1])
