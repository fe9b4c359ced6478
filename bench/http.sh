#!/usr/bin/env bash
# Bounded load test on loopback: repeated reads of a series and an area
# query with wrk (Debian package `wrk`), 10 s each, 2 threads, 32
# connections, against a release server on a demo database.
#
#   FRONTLINE_DATA=../shared/data bash bench/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${FRONTLINE_DATA:-$(cd .. && pwd)/shared/data}"
cargo build --release -q -p frontline-cli
F="$PWD/target/release/frontline"
TMP="$(mktemp -d)"
DB="$TMP/http.db"
"$F" --db "$DB" import tallies data/general-staff-tallies/*.json >/dev/null
"$F" --db "$DB" import boundaries data/boundaries-naturalearth/countries_ua_ru_by_ne10m.geojson >/dev/null
"$F" --db "$DB" import control "$DATA/deepstate-history" >/dev/null 2>&1
PORT=18181
"$F" --db "$DB" serve --addr "127.0.0.1:$PORT" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER; rm -rf "$TMP"' EXIT
sleep 1
for path in "/api/v1/series/personnel?from=2024-11-01&to=2024-11-30" "/api/v1/territory/area?status=liberated&within=RU"; do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT$path"
  echo "== $path"
  wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$PORT$path" | grep -E "Requests/sec|99%|Non-2xx"
done
