#!/usr/bin/env python3
"""Reads a feed with Python's feedparser (an independent parser) and prints
what it understood as JSON: the feed's title and language, whether the
document was malformed (bozo), and each entry's id, title, link, updated
time and tags. The feed tests compare these values (crates/cli/tests/feeds.rs).

    python3 scripts/check_feed.py FILE
"""
import json
import sys

import feedparser

d = feedparser.parse(open(sys.argv[1], "rb").read())
print(json.dumps({
    "bozo": bool(d.bozo),
    "version": d.version,
    "title": d.feed.get("title"),
    "language": d.feed.get("language"),
    "entries": [
        {
            "id": e.get("id"),
            "title": e.get("title"),
            "link": e.get("link"),
            "updated": e.get("updated"),
            "tags": [t.get("term") for t in e.get("tags", [])],
        }
        for e in d.entries
    ],
}))
