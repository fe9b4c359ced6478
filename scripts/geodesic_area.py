#!/usr/bin/env python3
"""The geodesic area of every polygon of a GeoJSON file, in km², with
GeographicLib (Karney's algorithm on WGS84), independently of Frontline:
used by crates/cli/tests/ogc.rs on what GDAL's OAPIF driver read.

    python3 scripts/geodesic_area.py FILE.geojson
prints `features N`, `ids M` (distinct ids) and `km2 X`.
"""
import json
import sys

from geographiclib.geodesic import Geodesic


def ring_area(ring):
    p = Geodesic.WGS84.Polygon()
    # GeoJSON rings repeat their first point last; the polygon closes itself.
    for lon, lat, *_ in ring[:-1]:
        p.AddPoint(lat, lon)
    _, _, area = p.Compute(False, True)
    return abs(area)


def polygon_area(rings):
    return ring_area(rings[0]) - sum(ring_area(r) for r in rings[1:])


def main(path):
    doc = json.load(open(path))
    total = 0.0
    ids = set()
    for f in doc["features"]:
        ids.add(str(f.get("properties", {}).get("id", f.get("id"))))
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"] if g["type"] == "MultiPolygon" else []
        total += sum(polygon_area(p) for p in polys)
    print(f"features {len(doc['features'])}")
    print(f"ids {len(ids)}")
    print(f"km2 {total / 1e6:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
