#!/usr/bin/env python3
"""Calls a live Frontline server through a Python client generated from its
own OpenAPI document by a standard generator (openapi-python-client, from
PyPI), and checks the answers against figures this script derives itself
from the bundled files, not from Frontline. Run by scripts/test.sh:

    openapi-python-client generate --path openapi.json --output-path DIR/frontline_client --meta none
    python3 scripts/client_check.py DIR BASE_URL

1. `GET /api/v1/series/personnel`: each day's cumulative figure equals the
   General Staff file's (data/general-staff-tallies/russia_losses_personnel.json).
2. `GET /api/v1/places?min_population=100000`: as many places as GeoNames'
   extract lists with 100,000 people or more.
3. `GET /ogc/collections/settlements/items?bbox=…`: numberMatched equals the
   extract's places inside the box, and every feature is inside it.
"""
import csv
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(client_dir, base):
    sys.path.insert(0, client_dir)
    from frontline_client import Client
    from frontline_client.api.default import get_api_v1_places, get_api_v1_series_category
    from frontline_client.api.ogc_api_features import get_ogc_collections_collection_id_items
    from frontline_client.models import FeatureCollection

    client = Client(base_url=base, raise_on_unexpected_status=True)

    # 1. The series, against the file.
    tallies = json.load(open(ROOT / "data/general-staff-tallies/russia_losses_personnel.json"))
    expected = {datetime.date.fromisoformat(r["date"]): r["personnel"] for r in tallies}
    days = get_api_v1_series_category.sync(
        "personnel",
        client=client,
        from_=datetime.date(2024, 11, 1),
        to=datetime.date(2024, 11, 30),
    )
    assert isinstance(days, list) and len(days) == 30, days
    for d in days:
        assert d.cumulative == expected[d.date], (d.date, d.cumulative, expected[d.date])
    print(f"series: 30 days of November 2024 equal the file (last {days[-1].cumulative})")

    # The gazetteer, as this script reads it.
    with open(ROOT / "data/gazetteer-geonames/cities500_ua_ru_by_border_bbox.csv", newline="") as f:
        places = list(csv.DictReader(f))

    # 2. Places of 100,000 people or more.
    big = sum(1 for p in places if int(p["population"] or 0) >= 100_000)
    answer = get_api_v1_places.sync(client=client, min_population=100_000)
    assert isinstance(answer, FeatureCollection), answer
    assert len(answer.features) == big, (len(answer.features), big)
    print(f"places: {big} of 100,000 people or more")

    # 3. OGC API – Features: settlements in the Kursk salient's box.
    w, s, e, n = 34.5, 50.9, 36.0, 51.6
    inside = sum(1 for p in places if w <= float(p["lon"]) <= e and s <= float(p["lat"]) <= n)
    page = get_ogc_collections_collection_id_items.sync(
        "settlements", client=client, bbox=f"{w},{s},{e},{n}", limit=1000
    )
    assert isinstance(page, FeatureCollection), page
    assert page["numberMatched"] == inside, (page["numberMatched"], inside)
    assert len(page.features) == inside
    for feat in page.features:
        lon, lat = feat.geometry["coordinates"]
        assert w <= lon <= e and s <= lat <= n, (lon, lat)
    print(f"ogc: {inside} settlements in {w},{s},{e},{n}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
