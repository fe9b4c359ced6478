#!/usr/bin/env python3
"""Does DeepState rename anything over the shared archive? (#23, `breaks`)

Reads every map of the folder given (the shared data's deepstate-history,
`EPOCH.geojson.gz`), in time order, and collects the status codes of its
area features (Polygon, MultiPolygon): the part of a `name` line after the
last `///`, without `{{...}}` arguments, when it is a `geoJSON.status.*`
code (occupied, dismissed, dismissed_at, unknown...). Prints each map whose
set of status codes differs from the map before, then the number of such
maps. (Unit markers, airfields and arrows are points or lines; the
satirical "occupied Karelia" polygons lie outside the region Frontline
keeps; neither is a layer of a status.)

    python3 scripts/derive/mapper_vocabulary.py $FRONTLINE_DATA/deepstate-history
"""
import gzip
import json
import re
import sys
from pathlib import Path


def codes(path):
    data = json.loads(gzip.open(path).read() if path.suffix == ".gz" else path.read_text())
    out = set()
    for f in data.get("features", []):
        if ((f.get("geometry") or {}).get("type")) not in ("Polygon", "MultiPolygon"):
            continue
        name = (f.get("properties") or {}).get("name") or ""
        for line in name.split("\n"):
            if "///" not in line:
                continue
            code = re.sub(r"\{\{.*?\}\}", "", line.split("///")[-1]).strip()
            if code.startswith("geoJSON.status."):
                out.add(code)
    return out


def main(folder):
    files = sorted(Path(folder).glob("*.geojson*"), key=lambda p: int(p.name.split(".")[0]))
    before, changes = None, 0
    for p in files:
        c = codes(p)
        if before is not None and c != before:
            changes += 1
            print(p.name, "added", sorted(c - before), "removed", sorted(before - c))
        before = c
    print(f"{len(files)} maps, {changes} with other codes than the map before")


if __name__ == "__main__":
    main(sys.argv[1])
