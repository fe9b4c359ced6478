#!/usr/bin/env python3
"""A long archive of daily control maps from the real DeepState archive
(issue #27): N daily snapshots replaying the real maps in order with
shifted dates, each slightly perturbed on the front, plus an ISW-like
second mapper. Deterministic from the seed; generated, never committed.

    python3 bench/scale/make.py $FRONTLINE_DATA/deepstate-history OUT --maps 1400 [--seed 1] [--isw-every 7]
    python3 bench/scale/make.py LAST.geojson.gz OUTDIR --next-of    # the day after LAST

OUT/deepstate/<unix>.geojson.gz  one map a day, the last on --end (2026-11-30)
OUT/isw/<day>.geojson            occupied polygons only, every --isw-every days,
                                 a `date` property (import with --as geojson
                                 --mapper isw --every-feature occupied
                                 --time-property date)
OUT/perturbation.csv             per map: the source file and the largest
                                 vertex move, so the areas can be accounted for

Perturbation: in each map, up to 5 of the largest occupied polygons get 3
interior vertices of their outer ring moved by at most PERTURB degrees in
longitude and latitude (about 35 m; see docs/storage.md), drawn from a
generator seeded by (seed, map index). Everything else is the real map.
"""
import argparse
import datetime as dt
import gzip
import json
import random
from pathlib import Path

PERTURB = 0.0003
POLYGONS = 5
VERTICES = 3


def occupied(feature):
    name = (feature.get("properties") or {}).get("name", "")
    return feature.get("geometry", {}).get("type") == "Polygon" and ("Occupied" in name or "Окуповано" in name)


def ring_size(feature):
    return len(feature["geometry"]["coordinates"][0])


def perturb(doc, rng):
    """Moves a few vertices of the largest occupied polygons; the largest move."""
    polys = sorted((f for f in doc["features"] if occupied(f)), key=ring_size, reverse=True)[:POLYGONS]
    largest = 0.0
    for f in polys:
        ring = f["geometry"]["coordinates"][0]
        if len(ring) < 8:
            continue
        for _ in range(VERTICES):
            # Interior vertices only: the ring stays closed.
            k = rng.randrange(1, len(ring) - 1)
            dx, dy = rng.uniform(-PERTURB, PERTURB), rng.uniform(-PERTURB, PERTURB)
            ring[k] = [ring[k][0] + dx, ring[k][1] + dy] + ring[k][2:]
            largest = max(largest, abs(dx), abs(dy))
    return largest


def next_map(last, out, seed):
    """The map of the day after `last`: the same map, perturbed as the rest."""
    with gzip.open(last, "rt", encoding="utf-8") as f:
        doc = json.load(f)
    perturb(doc, random.Random(seed))
    ts = int(Path(last).name.split(".")[0]) + 86400
    with open(Path(out) / f"{ts}.geojson.gz", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as g:
            g.write(json.dumps(doc, separators=(",", ":")).encode())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src", help="the real archive, or with --next-of the map to follow")
    ap.add_argument("out")
    ap.add_argument("--maps", type=int)
    ap.add_argument("--next-of", action="store_true", help="write only the day after SRC (a file) into OUT")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--end", default="2026-11-30")
    ap.add_argument("--isw-every", type=int, default=7)
    a = ap.parse_args()
    if a.next_of:
        next_map(a.src, a.out, a.seed)
        return
    src = sorted(Path(a.src).glob("*.geojson.gz"), key=lambda p: int(p.name.split(".")[0]))
    out = Path(a.out)
    (out / "deepstate").mkdir(parents=True, exist_ok=True)
    (out / "isw").mkdir(parents=True, exist_ok=True)
    end = dt.date.fromisoformat(a.end)
    start = end - dt.timedelta(days=a.maps - 1)
    log = ["index,day,source,largest_move_deg"]
    for i in range(a.maps):
        day = start + dt.timedelta(days=i)
        source = src[i % len(src)]
        with gzip.open(source, "rt", encoding="utf-8") as f:
            doc = json.load(f)
        rng = random.Random(a.seed * 1_000_003 + i)
        moved = perturb(doc, rng)
        noon = int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp())
        body = json.dumps(doc, separators=(",", ":")).encode()
        # mtime 0: the same seed gives the same bytes, so the same SHA-256.
        with open(out / "deepstate" / f"{noon}.geojson.gz", "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as g:
                g.write(body)
        if i % a.isw_every == 0:
            isw = {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"date": day.isoformat()}, "geometry": f["geometry"]}
                    for f in doc["features"]
                    if occupied(f)
                ],
            }
            (out / "isw" / f"{day.isoformat()}.geojson").write_text(json.dumps(isw, separators=(",", ":")))
        log.append(f"{i},{day},{source.name},{moved:.7f}")
    (out / "perturbation.csv").write_text("\n".join(log) + "\n")
    print(f"{a.maps} maps {start} .. {end} in {out}")


if __name__ == "__main__":
    main()
