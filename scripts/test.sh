#!/usr/bin/env bash
# The test suite: Rust unit, property, CLI, API and real-data tests, then
# the browser test (headless Chromium) against a real server.
# Real-data tests read $FRONTLINE_DATA (default ../shared/data) and skip,
# saying so, when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
export FRONTLINE_DATA="${FRONTLINE_DATA:-$(cd .. && pwd)/shared/data}"
[ -d "$FRONTLINE_DATA" ] || { echo "note: $FRONTLINE_DATA not found; real-data tests will skip" >&2; unset FRONTLINE_DATA; }

cargo test --workspace

# Browser test: build the page, serve a database made from the bundled data
# (and the DeepState maps when present), drive it with Chromium.
(cd web && npm ci --no-audit --no-fund && npm run build)
F="$PWD/target/debug/frontline"
TMP="$(mktemp -d)"
DB="$TMP/browser.db"
"$F" --db "$DB" import tallies data/general-staff-tallies/*.json >/dev/null
"$F" --db "$DB" import boundaries data/boundaries-naturalearth/countries_ua_ru_by_ne10m.geojson >/dev/null
"$F" --db "$DB" import boundaries data/admin1-naturalearth/admin1_ua_ru_by_ne10m.geojson.gz >/dev/null
"$F" --db "$DB" import places data/gazetteer-geonames/cities500_ua_ru_by_border_bbox.csv >/dev/null
"$F" --db "$DB" import places data/place-names/place_names.csv >/dev/null
"$F" --db "$DB" import losses data/oryx-scarnecchia/event_*.csv --format oryx >/dev/null
"$F" --db "$DB" claims import data/claims/claims.csv >/dev/null
if [ -n "${FRONTLINE_DATA:-}" ] && [ -d "$FRONTLINE_DATA/deepstate-history" ]; then
  "$F" --db "$DB" import control "$FRONTLINE_DATA/deepstate-history" >/dev/null 2>&1
  "$F" --db "$DB" import control "$FRONTLINE_DATA/isw-kursk/territory_geojson" --as geojson --mapper isw \
    --every-feature occupied --time-property date --drop-shapeless >/dev/null 2>&1
fi
if [ -n "${FRONTLINE_DATA:-}" ] && [ -d "$FRONTLINE_DATA/ualosses-mediazona-vintages" ]; then
  V="$FRONTLINE_DATA/ualosses-mediazona-vintages"
  for v in 2025-08-21 2025-09-01 2025-10-28; do
    "$F" --db "$DB" import counts "$V/ukraine_monthly-raw_$v.json" --format ualosses --subject Ukraine --vintage "$v" >/dev/null
  done
  for v in 2025-08-21 2025-11-08; do
    "$F" --db "$DB" import counts "$V/russia_monthly_$v.json" --format ualosses --subject Russia --source mediazona --vintage "$v" >/dev/null
  done
fi
PORT="${BROWSER_TEST_PORT:-18080}"
"$F" --db "$DB" serve --addr "127.0.0.1:$PORT" --web web/dist 2>"$TMP/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
# Screenshots are kept (target/browser-screenshots) to be looked at.
SHOTS="$PWD/target/browser-screenshots"
mkdir -p "$SHOTS"
# The same database as a static site (page, PMTiles archive, answers),
# which the static-site test serves with a plain file server.
"$F" --db "$DB" export site --out "$TMP/site" --web web/dist >/dev/null
# The OpenAPI document, checked by a standard validator (openapi-spec-validator,
# from PyPI; .ci/run installs it) as well as by the conformance tests.
curl -sf "http://127.0.0.1:$PORT/api/v1/openapi.json" >"$TMP/openapi.json"
python3 -m openapi_spec_validator "$TMP/openapi.json"
# A Python client generated from that document by a standard generator
# (openapi-python-client, from PyPI; .ci/run installs it) calls three
# endpoints of the live server; the script checks the answers against
# figures it derives from the bundled files itself (#25).
openapi-python-client generate --path "$TMP/openapi.json" --output-path "$TMP/gen/frontline_client" --meta none >"$TMP/gen.log" 2>&1 \
  || { cat "$TMP/gen.log"; exit 1; }
python3 scripts/client_check.py "$TMP/gen" "http://127.0.0.1:$PORT"
# Script injection (#21): a database whose every shown text carries markup
# or a javascript: URL, served live and exported, for tests/hostile.test.mjs.
HDB="$TMP/hostile.db"
bash web/tests/fixtures/hostile/make-db.sh "$F" "$HDB" >/dev/null 2>&1
HPORT=$((PORT + 1))
"$F" --db "$HDB" serve --addr "127.0.0.1:$HPORT" --web web/dist 2>"$TMP/hostile.log" &
HSERVER=$!
trap 'kill $SERVER $HSERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$HPORT/api/v1/health" >/dev/null && break; sleep 0.2; done
"$F" --db "$HDB" export site --out "$TMP/hostile-site" --web web/dist >/dev/null 2>&1
(cd web && FRONTLINE_URL="http://127.0.0.1:$PORT" STATIC_SITE="$TMP/site" SCREENSHOT="$SHOTS/page.png" SCREENSHOT_DIR="$SHOTS" \
  HOSTILE_URL="http://127.0.0.1:$HPORT" HOSTILE_SITE="$TMP/hostile-site" node --test tests/)

# Coverage-guided fuzzing of every parser: a fixed number of runs from a
# fixed seed per target (deterministic, so CI replays what ran locally).
bash scripts/fuzz.sh
