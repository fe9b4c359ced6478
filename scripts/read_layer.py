#!/usr/bin/env python3
"""Reads a file written by `frontline export layer` with the analyst's own
tools, independently of Frontline: geopandas with pyogrio (GeoPackage,
FlatGeobuf), geopandas.read_parquet with pyarrow (GeoParquet), pandas and
shapely (CSV with WKT). Used by crates/cli/tests/ogc.rs.

    python3 scripts/read_layer.py FILE
prints `features N`, `ids M` (distinct feature_id), `km2 X` (the geodesic
area of its polygons on WGS84, pyproj's Geod: Karney's algorithm), `crs C`
(as geopandas reads it), `types T` (geometry types) and `sha256 S` for
each source the provenance names (read from the file's own metadata).
"""
import json
import sys

import geopandas as gpd
import pandas as pd
import pyogrio
import pyarrow.parquet as pq
from pyproj import Geod
from shapely import wkt


def provenance(path):
    if path.endswith(".parquet"):
        return json.loads(pq.read_metadata(path).metadata[b"frontline:provenance"])
    if path.endswith(".csv"):
        return json.load(open(path[: -len(".csv")] + ".prov.json"))
    meta = pyogrio.read_info(path).get("layer_metadata") or {}
    if "GPKG_METADATA_ITEM_1" in meta:
        return json.loads(meta["GPKG_METADATA_ITEM_1"])
    # FlatGeobuf: GDAL reads the header's metadata object one key at a
    # time; nested values are JSON text.
    return {k: json.loads(v) if k == "sources" else v for k, v in meta.items()}


def read(path):
    if path.endswith(".parquet"):
        return gpd.read_parquet(path)
    if path.endswith(".csv"):
        df = pd.read_csv(path)
        crs = provenance(path)["crs"]
        return gpd.GeoDataFrame(df.rename(columns={"id": "feature_id"}), geometry=df["wkt"].map(wkt.loads), crs=crs)
    return gpd.read_file(path, engine="pyogrio")


def main(path):
    gdf = read(path)
    geod = Geod(ellps="WGS84")
    area = sum(abs(geod.geometry_area_perimeter(g)[0]) for g in gdf.geometry if g.geom_type != "Point")
    print(f"features {len(gdf)}")
    print(f"ids {gdf['feature_id'].nunique()}")
    print(f"km2 {area / 1e6:.3f}")
    print(f"crs {gdf.crs.to_string() if gdf.crs else None}")
    print(f"types {','.join(sorted(set(gdf.geometry.geom_type)))}")
    for s in provenance(path).get("sources", []):
        print(f"sha256 {s['sha256']}")
    for col in gdf.columns:
        if col not in ("geometry", "wkt"):
            print(f"column {col} {gdf[col].iloc[0]}")


if __name__ == "__main__":
    main(sys.argv[1])
