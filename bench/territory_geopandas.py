"""Peer for the territory benchmark: the same work as Frontline's cold path,
done with geopandas + shapely + pyproj from the same files.

For every DeepState snapshot: read it, keep polygons inside the war region,
map the `name` key to a status, repair (make_valid) and union each status,
clip `liberated` to Natural Earth's Russia outline, take the geodesic area on
WGS84 (pyproj Geod), and list the Russian settlements inside it (a settlement
in the grey zone or occupied layer is not counted as liberated, as in
Frontline). Then the peak.

usage: python3 bench/territory_geopandas.py DATA_DIR OUT_AREA_CSV OUT_SETTLEMENTS_CSV
"""
import glob
import os
import sys
import time
from datetime import datetime, timezone

import geopandas as gpd
import pandas as pd
from pyproj import Geod
from shapely import box, make_valid
from shapely.ops import unary_union

data, out_area, out_settlements = sys.argv[1:4]
t0 = time.perf_counter()
geod = Geod(ellps="WGS84")
outlines = gpd.read_file(f"{data}/boundaries-naturalearth/countries_ua_ru_by_ne10m.geojson")
ru = make_valid(outlines[outlines["iso_a2"] == "RU"].geometry.iloc[0])
places = pd.read_csv(f"{data}/gazetteer-geonames/cities500_ua_ru_by_border_bbox.csv")
places = places[places["country"] == "RU"]
places = gpd.GeoDataFrame(places, geometry=gpd.points_from_xy(places.lon, places.lat), crs=4326)
region = box(22, 44, 41.5, 53.5)


def status(name):
    parts = [p.strip() for p in str(name).split("///")]
    key = parts[-1]
    if key.startswith("geoJSON.status.dismissed"):
        return "liberated"
    if key in ("geoJSON.status.occupied", "geoJSON.territories.ordlo", "geoJSON.territories.crimea", "geoJSON.territories.tuzla"):
        return "occupied"
    if key == "geoJSON.status.unknown":
        return "contested"
    english = parts[1].lower() if len(parts) > 1 else ""
    if english.startswith("occupied") or "temporarily occupied" in english:
        return "occupied"
    if english.startswith("liberated"):
        return "liberated"
    if english.startswith("unknown status"):
        return "contested"
    return None


def area_km2(geom):
    if geom.is_empty:
        return 0.0
    a, _ = geod.geometry_area_perimeter(geom)
    return abs(a) / 1e6


areas, settled = [], []
for f in sorted(glob.glob(f"{data}/deepstate-history/*.geojson.gz")):
    taken = datetime.fromtimestamp(int(os.path.basename(f).split(".")[0]), tz=timezone.utc)
    g = gpd.read_file("/vsigzip/" + f)
    g = g[g.geometry.geom_type.isin(["Polygon", "MultiPolygon"])].explode(index_parts=False)
    g = g[g.geometry.intersects(region)]
    g["status"] = g["name"].map(status)
    layers = {s: unary_union([make_valid(x) for x in g[g["status"] == s].geometry]) for s in ("liberated", "occupied", "contested")}
    lib_ru = layers["liberated"].intersection(ru)
    areas.append((taken.date().isoformat(), taken.isoformat(), area_km2(lib_ru)))
    inside = places[places.geometry.within(layers["liberated"])]
    inside = inside[~inside.geometry.within(layers["contested"]) & ~inside.geometry.within(layers["occupied"])]
    for name in inside["name"]:
        settled.append((taken.date().isoformat(), name))

peak = max(areas, key=lambda r: r[2])
elapsed = time.perf_counter() - t0
pd.DataFrame(areas, columns=["date", "snapshot", "area_km2"]).to_csv(out_area, index=False)
pd.DataFrame(settled, columns=["date", "name"]).to_csv(out_settlements, index=False)
print(f"geopandas: {len(areas)} snapshots, peak {peak[2]:.3f} km2 on {peak[0]}, {len(settled)} place-days, {elapsed:.2f} s")
