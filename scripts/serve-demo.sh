#!/usr/bin/env bash
# The main job: build the web page and the binary, make a demo database from
# the bundled open data (plus, when FRONTLINE_DATA points at a folder like
# ../shared/data, the DeepState control maps and WarSpotting list found
# there), and serve it on http://127.0.0.1:8080 (ADDR to change).
set -euo pipefail
cd "$(dirname "$0")/.."
ADDR="${ADDR:-127.0.0.1:8080}"
DB="${FRONTLINE_DEMO_DB:-frontline-demo.db}"

(cd web && npm ci --no-audit --no-fund && npm run build)
cargo build --release -p frontline-cli
F="$PWD/target/release/frontline"

rm -f "$DB" "$DB-wal" "$DB-shm"
"$F" --db "$DB" import tallies data/general-staff-tallies/*.json
"$F" --db "$DB" import boundaries data/boundaries-naturalearth/countries_ua_ru_by_ne10m.geojson
"$F" --db "$DB" import boundaries data/admin1-naturalearth/admin1_ua_ru_by_ne10m.geojson.gz
"$F" --db "$DB" import places data/gazetteer-geonames/cities500_ua_ru_by_border_bbox.csv
"$F" --db "$DB" import places data/place-names/place_names.csv
"$F" --db "$DB" import losses data/oryx-scarnecchia/event_*.csv --format oryx
"$F" --db "$DB" claims import data/claims/claims.csv
if [ -n "${FRONTLINE_DATA:-}" ] && [ -d "$FRONTLINE_DATA/deepstate-history" ]; then
  "$F" --db "$DB" import control "$FRONTLINE_DATA/deepstate-history"
  # A second mapper for the page's comparison (ISW; its export lost a few
  # shapes, dropped and reported).
  [ -d "$FRONTLINE_DATA/isw-kursk/territory_geojson" ] &&
    "$F" --db "$DB" import control "$FRONTLINE_DATA/isw-kursk/territory_geojson" --as geojson --mapper isw \
      --every-feature occupied --time-property date --drop-shapeless
  [ -f "$FRONTLINE_DATA/warspotting-2024-05/losses.csv" ] &&
    "$F" --db "$DB" import losses "$FRONTLINE_DATA/warspotting-2024-05/losses.csv" --format warspotting
else
  echo "note: set FRONTLINE_DATA=../shared/data to add the DeepState control maps (not bundled: no open license)" >&2
fi
# Named lists by vintage (their data are their sources'; not bundled).
if [ -n "${FRONTLINE_DATA:-}" ] && [ -d "$FRONTLINE_DATA/ualosses-mediazona-vintages" ]; then
  V="$FRONTLINE_DATA/ualosses-mediazona-vintages"
  for v in 2025-08-21 2025-09-01 2025-10-28; do
    "$F" --db "$DB" import counts "$V/ukraine_monthly-raw_$v.json" --format ualosses --subject Ukraine --vintage "$v"
  done
  for v in 2025-08-21 2025-11-08; do
    "$F" --db "$DB" import counts "$V/russia_monthly_$v.json" --format ualosses --subject Russia --source mediazona --vintage "$v"
  done
fi
exec "$F" --db "$DB" serve --addr "$ADDR" --web web/dist
