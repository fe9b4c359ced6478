#!/usr/bin/env python3
"""Figures of the two-mapper comparison checked in
crates/cli/tests/real_territory.rs (`territory compare`), derived
independently of Frontline with shapely (GEOS) and pyproj (GeographicLib).

    /tmp/venv/bin/python scripts/derive/mapper_figures.py $FRONTLINE_DATA

DeepState's occupied layer by territory_figures.py's rules; ISW's
`ukraine_control_map` (isw-kursk/territory_geojson, one file a date, its
features without a geometry left out) as one union of its valid polygons.
Day D is shown by each mapper's latest map published by the end of D, UTC
(ISW files are dated by name, 00:00 UTC). Both clipped to Ukraine's de
jure outline (the union of its admin-1 units). Areas geodesic on WGS84.
"""
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from shapely import make_valid, unary_union
from shapely.geometry import shape

sys.path.insert(0, str(Path(__file__).parent))
from territory_figures import km2, layers, read, snapshots  # noqa: E402


def main(data):
    data = Path(data)
    snaps = snapshots(data)
    units = {
        f["properties"]["iso_3166_2"]: make_valid(shape(f["geometry"]))
        for f in read(data / "admin1-naturalearth" / "admin1_ua_ru_by_ne10m.geojson")["features"]
    }
    ua = unary_union([g for c, g in units.items() if c.startswith("UA-")])
    for path in sorted((data / "isw-kursk" / "territory_geojson").glob("*.geojson")):
        day = date.fromisoformat(path.name.split(".")[0])
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), timezone.utc)
        shown = [p for t, p in snaps if t < end]
        if not shown:
            continue
        a = layers(shown[-1])["occupied"].intersection(ua)
        b = unary_union([make_valid(shape(f["geometry"])) for f in read(path)["features"] if f["geometry"]])
        b = b.intersection(ua)
        only_a, only_b = km2(a.difference(b)), km2(b.difference(a))
        print(f"{day}: deepstate {km2(a):.3f}, isw {km2(b):.3f}, only deepstate {only_a:.3f}, only isw {only_b:.3f}, "
              f"disagree {only_a + only_b:.3f} km²")
        if day == date(2024, 11, 3):
            for code in ("UA-14", "UA-63"):
                g = units[code]
                print(f"  {code}: only deepstate {km2(a.difference(b).intersection(g)):.3f}, "
                      f"only isw {km2(b.difference(a).intersection(g)):.3f} km²")


if __name__ == "__main__":
    main(sys.argv[1])
