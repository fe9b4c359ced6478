#!/usr/bin/env python3
"""Figures of crates/cli/tests/real_territory.rs, derived independently of
Frontline with shapely (GEOS) and pyproj (GeographicLib) over the same files.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install 'shapely==2.*' pyproj
    /tmp/venv/bin/python scripts/derive/territory_figures.py $FRONTLINE_DATA

Same rules as docs/territory.md, written again here:
* status from the last `///` part of DeepState's `name` (occupied: status
  occupied, ORDLO, Crimea, Tuzla; liberated: `status.dismissed…`; contested:
  `status.unknown`), polygons whose bounding box misses 22–41.5° E,
  44–53.5° N dropped, each polygon made valid (GEOS `make_valid`), one union
  per status;
* day D is shown by the latest snapshot published (file name, epoch
  seconds) by the end of D, UTC;
* areas geodesic on WGS84 (`Geod.geometry_area_perimeter`).
Takes about 20 seconds. The last lines are the areas of the three recorded
DeepState API bodies in recorded-responses/ (the real-data sync test).
"""
import csv
import gzip
import json
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from pyproj import Geod, Transformer
import numpy as np
from shapely import make_valid, transform, unary_union
from shapely.geometry import Point, box, shape
from shapely.ops import nearest_points

GEOD = Geod(ellps="WGS84")
REGION = box(22.0, 44.0, 41.5, 53.5)
OCCUPIED = {"geoJSON.status.occupied", "geoJSON.territories.ordlo", "geoJSON.territories.crimea", "geoJSON.territories.tuzla"}


def status(name):
    if "///" not in name:
        # 2022's Ukrainian-only names (docs/territory.md).
        uk = name.strip().lower()
        if uk.startswith(("начебто", "під питанням", "невідомо")):
            return "contested"
        if "окупов" in uk or "зайняті ворогом" in uk or uk in ("ордло", "крим"):
            return "occupied"
        if "звільнено" in uk:
            return "liberated"
        return None
    key = name.split("///")[-1].strip()
    if key.startswith("geoJSON.status.dismissed"):
        return "liberated"
    if key in OCCUPIED:
        return "occupied"
    if key == "geoJSON.status.unknown":
        return "contested"
    return None


def read(path):
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return json.loads(raw)


def layers(path):
    """Status → one valid (Multi)Polygon."""
    parts = {}
    for f in read(path)["features"]:
        s = status((f.get("properties") or {}).get("name", ""))
        g = f.get("geometry")
        if s is None or g is None or g["type"] not in ("Polygon", "MultiPolygon", "GeometryCollection"):
            continue
        members = g["geometries"] if g["type"] == "GeometryCollection" else [g]
        polys = []
        for m in members:
            if m["type"] in ("Polygon", "MultiPolygon"):
                geom = shape(m)
                polys.extend(getattr(geom, "geoms", [geom]))
        for poly in polys:
            if poly.intersects(REGION.envelope) and box(*poly.bounds).intersects(REGION):
                parts.setdefault(s, []).append(make_valid(poly))
    return {s: unary_union(p) for s, p in parts.items()}


def snapshots(data):
    """DeepState history files with their publication times, oldest first."""
    return sorted(
        (datetime.fromtimestamp(int(p.name.split(".")[0]), timezone.utc), p)
        for p in (Path(data) / "deepstate-history").iterdir()
        if p.name.split(".")[0].isdigit()
    )


def km2(geom):
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def outline(folder, code):
    for f in read(folder / "boundaries-naturalearth" / "countries_ua_ru_by_ne10m.geojson")["features"]:
        if (f["properties"].get("iso_a2") or "").upper() == code:
            return make_valid(shape(f["geometry"]))
    raise SystemExit(f"no outline {code}")


def main(data):
    data = Path(data)
    snaps = snapshots(data)
    print("snapshots:", len(snaps))

    def for_day(d):
        end = datetime.combine(d + timedelta(days=1), datetime.min.time(), timezone.utc)
        return [p for t, p in snaps if t < end][-1]

    cache = {}

    def of(path):
        if path not in cache:
            cache[path] = layers(path)
        return cache[path]

    # Peak of liberated within RU, the first day it is reached (the outline
    # cut to the war region first: Russia's ring spans the globe).
    ru = outline(data, "RU").intersection(box(30.0, 49.0, 40.0, 54.0))
    best = (None, -1.0)
    for t, p in snaps:
        lib = of(p).get("liberated")
        a = km2(lib.intersection(ru)) if lib is not None else 0.0
        if a > best[1] + 1e-9:
            best = (t.date(), a)
    print(f"liberated within RU peaks on {best[0]} at {best[1]:.3f} km²")

    nov1, dec1 = date(2024, 11, 1), date(2024, 12, 1)
    occ1, occ2 = of(for_day(nov1))["occupied"], of(for_day(dec1))["occupied"]
    print(f"occupied on {nov1}: {km2(occ1):.3f} km²")
    print(f"{nov1} to {dec1}: gained {km2(occ2.difference(occ1)):.3f} km², lost {km2(occ1.difference(occ2)):.3f} km²")
    oct31 = of(for_day(date(2024, 10, 31)))["occupied"]
    other = unary_union([make_valid(shape(f["geometry"])) for f in read(data / "deepstate-occupied-daily" / "deepstatemap_data_20241101.geojson.gz")["features"]])
    print(f"occupied on 2024-10-31: ours {km2(oct31):.3f} km², deepstate-occupied-daily 20241101: {km2(other):.3f} km²")

    places = list(csv.DictReader(open(data / "gazetteer-geonames" / "cities500_ua_ru_by_border_bbox.csv", encoding="utf-8")))
    kursk = max((p for p in places if p["name"] == "Kursk"), key=lambda p: int(p["population"] or 0))
    lon, lat = float(kursk["lon"]), float(kursk["lat"])
    lib = of(for_day(date(2024, 9, 1)))["liberated"]
    aeqd = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84", always_xy=True)
    back = Transformer.from_crs(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84", "EPSG:4326", always_xy=True)
    projected = transform(lib, lambda xy: np.column_stack(aeqd.transform(xy[:, 0], xy[:, 1])))
    near = nearest_points(projected, Point(0, 0))[0]
    nlon, nlat = back.transform(near.x, near.y)
    print(f"liberated edge on 2024-09-01 to Kursk: {GEOD.inv(lon, lat, nlon, nlat)[2] / 1000:.3f} km")

    inside = [p for p in places if p["country"] == "RU" and lib.contains(Point(float(p["lon"]), float(p["lat"])))]
    inside.sort(key=lambda p: (-int(p["population"] or 0), p["name"]))
    print("settlements liberated within RU on 2024-09-01:", [p["name"] for p in inside])

    sudzha = max((p for p in places if p["name"] == "Sudzha"), key=lambda p: int(p["population"] or 0))
    at = Point(float(sudzha["lon"]), float(sudzha["lat"]))
    d = date(2025, 3, 1)
    while d <= date(2025, 3, 31):
        lib = of(for_day(d)).get("liberated")
        if lib is None or not lib.contains(at):
            print(f"Sudzha leaves the liberated layer on {d}")
            break
        d += timedelta(days=1)


def without_slivers(clipped, country, layer_km2):
    """The sliver rule of docs/territory.md, written again: where less than
    a tenth of the layer lies inside the country, a piece of the clipped
    layer is a border sliver when its mean width (2 x area / perimeter,
    geodesic) is under 2.5 km and none of its vertices lies more than 6 km
    from the country's edge (distances in an azimuthal equidistant
    projection centred on the piece). Returns (kept km², removed km²)."""
    if km2(clipped) >= 0.1 * layer_km2:
        return km2(clipped), 0.0
    kept = removed = 0.0
    for p in getattr(clipped, "geoms", [clipped]):
        if p.geom_type != "Polygon" or p.is_empty:
            continue
        a, per = GEOD.geometry_area_perimeter(p)
        a, per = abs(a) / 1e6, per / 1000
        sliver = False
        if per > 0 and 2 * a / per < 2.5:
            c = p.representative_point()
            aeqd = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84", always_xy=True)
            flat = lambda g: transform(g, lambda xy: np.column_stack(aeqd.transform(xy[:, 0], xy[:, 1])))
            edge = flat(country.boundary.intersection(box(*p.buffer(0.3).bounds)))
            sliver = not edge.is_empty and all(edge.distance(Point(xy)) <= 6000 for xy in flat(p).exterior.coords)
        if sliver:
            removed += a
        else:
            kept += a
    return kept, removed


def slivers(data):
    """Liberated within RU (the countries file's outline) with the sliver
    rule: before the incursion, and its peak."""
    data = Path(data)
    snaps = snapshots(data)
    ru = outline(data, "RU").intersection(box(30.0, 49.0, 40.0, 54.0))
    best = (None, -1.0, 0.0)
    by_day = {}
    for t, p in snaps:
        lib = layers(p).get("liberated")
        kept, removed = without_slivers(lib.intersection(ru), ru, km2(lib)) if lib is not None else (0.0, 0.0)
        by_day[t.date()] = (kept, removed)
        if kept > best[1] + 1e-9:
            best = (t.date(), kept, removed)
    k, r = by_day[date(2024, 8, 5)]
    print(f"sliver rule: liberated within RU on 2024-08-05: {k:.3f} km² kept, {r:.3f} km² removed")
    print(f"sliver rule: liberated within RU peaks on {best[0]} at {best[1]:.3f} km² ({best[2]:.3f} km² removed)")


def oblasts(data):
    """Occupied ground by first-level unit on 2024-11-01 (the map of that
    day), with admin1-naturalearth: each unit's own outline; a country's de
    jure outline is the union of its units by ISO 3166-2 code, so Ukraine's
    includes UA-43 Crimea and UA-40 Sevastopol; de facto is the countries
    file's outline."""
    data = Path(data)
    snaps = snapshots(data)
    end = datetime(2024, 11, 2, tzinfo=timezone.utc)
    occ = layers([p for t, p in snaps if t < end][-1])["occupied"]
    units = {
        f["properties"]["iso_3166_2"]: make_valid(shape(f["geometry"]))
        for f in read(data / "admin1-naturalearth" / "admin1_ua_ru_by_ne10m.geojson")["features"]
    }
    de_jure = unary_union([g for c, g in units.items() if c.startswith("UA-")])
    de_facto = outline(data, "UA")
    print(f"occupied within UA on 2024-11-01: de jure {km2(occ.intersection(de_jure)):.3f} km² of {km2(de_jure):.3f}, "
          f"de facto {km2(occ.intersection(de_facto)):.3f} km²")
    for code in ("UA-09", "UA-14", "UA-23", "UA-65", "UA-43", "UA-40", "UA-63"):
        g = units[code]
        a, total = km2(occ.intersection(g)), km2(g)
        print(f"  {code}: {a:.3f} km² of {total:.3f} km² ({a / total:.5f})")


def claims(data):
    """Figures of the territory claims in tests/fixtures/claims/kursk.csv
    beyond the areas: the settlements of Russia in the liberated layer (the
    largest's population, the count), the distance from Pokrovsk to the
    occupied layer's nearest point (azimuthal equidistant projection
    centred on the place, then `Geod.inv`), and net occupied ground gained
    between two days' maps."""
    data = Path(data)
    snaps = snapshots(data)

    def for_day(d):
        end = datetime.combine(d + timedelta(days=1), datetime.min.time(), timezone.utc)
        return layers([p for t, p in snaps if t < end][-1])

    places = list(csv.DictReader(open(data / "gazetteer-geonames" / "cities500_ua_ru_by_border_bbox.csv", encoding="utf-8")))
    for d in (date(2024, 8, 15), date(2024, 8, 17)):
        lib = for_day(d)["liberated"]
        inside = [p for p in places if p["country"] == "RU" and lib.contains(Point(float(p["lon"]), float(p["lat"])))]
        inside.sort(key=lambda p: (-int(p["population"] or 0), p["name"]))
        print(f"settlements liberated within RU on {d}: {len(inside)}, largest {inside[0]['name']} ({inside[0]['population']})")
    town = max((p for p in places if p["name"] == "Pokrovsk"), key=lambda p: int(p["population"] or 0))
    lon, lat = float(town["lon"]), float(town["lat"])
    aeqd = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84", always_xy=True)
    back = Transformer.from_crs(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84", "EPSG:4326", always_xy=True)
    for d in (date(2024, 8, 9), date(2024, 8, 17)):
        occ = for_day(d)["occupied"]
        projected = transform(occ, lambda xy: np.column_stack(aeqd.transform(xy[:, 0], xy[:, 1])))
        near = nearest_points(projected, Point(0, 0))[0]
        nlon, nlat = back.transform(near.x, near.y)
        print(f"occupied edge on {d} to Pokrovsk: {GEOD.inv(lon, lat, nlon, nlat)[2] / 1000:.3f} km")
    # Net occupied ground gained between two maps: gained less lost.
    for a, b in ((date(2024, 11, 1), date(2024, 11, 25)), (date(2024, 11, 18), date(2024, 11, 25)), (date(2024, 11, 1), date(2024, 12, 1))):
        x, y = for_day(a)["occupied"], for_day(b)["occupied"]
        print(f"occupied net change {a} to {b}: {km2(y.difference(x)) - km2(x.difference(y)):.3f} km²")


def recorded(data):
    """The three recorded DeepState API bodies (crates/cli/tests/sync.rs)."""
    folder = Path(data) / "recorded-responses" / "deepstate"
    for name in sorted(folder.glob("history_*_geojson.json")):
        got = layers(name)
        areas = ", ".join(f"{s} {km2(g):.3f} km²" for s, g in sorted(got.items()))
        print(f"{name.name}: {areas}")


def events(data):
    """Area-change events (#24, docs/events.md): a status's area on the
    whole map, and within one first-level unit, between two days' maps."""
    data = Path(data)
    snaps = snapshots(data)

    def day(d):
        end = datetime.combine(d + timedelta(days=1), datetime.min.time(), timezone.utc)
        return layers([p for t, p in snaps if t < end][-1])

    a, b = day(date(2024, 8, 13))["contested"], day(date(2024, 8, 14))["contested"]
    print(f"contested on the whole map: 2024-08-13 {km2(a):.3f} km², 2024-08-14 {km2(b):.3f} km², "
          f"change {km2(b) - km2(a):+.3f} km²")
    sumy = {
        f["properties"]["iso_3166_2"]: make_valid(shape(f["geometry"]))
        for f in read(data / "admin1-naturalearth" / "admin1_ua_ru_by_ne10m.geojson")["features"]
    }["UA-59"]
    a, b = (km2(day(d)["contested"].intersection(sumy)) for d in (date(2025, 4, 28), date(2025, 4, 29)))
    print(f"contested within UA-59: 2025-04-28 {a:.3f} km², 2025-04-29 {b:.3f} km², change {b - a:+.3f} km²")


if __name__ == "__main__":
    events(sys.argv[1])
    main(sys.argv[1])
    oblasts(sys.argv[1])
    slivers(sys.argv[1])
    claims(sys.argv[1])
    recorded(sys.argv[1])
