#!/usr/bin/env bash
# Bounded load test on loopback: repeated reads of a series, an area
# query, a day's control map and two vector tiles (the front at zoom 6,
# Donetsk at zoom 9; the first request builds the pyramid) with wrk (Debian package `wrk`), 10 s each, 2 threads, 32
# connections, against a release server on a demo database.
#
#   FRONTLINE_DATA=../shared/data bash bench/http.sh
#
# FRONTLINE_BIN=path runs another build instead (to compare two commits in
# one run: build each with `cargo build --release`, copy the binaries).
# FRONTLINE_ARCHIVE=dir serves another control archive (#27: the 2,800-map
# one of bench/scale/make.py). The server's peak RSS is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${FRONTLINE_DATA:-$(cd .. && pwd)/shared/data}"
if [ -n "${FRONTLINE_BIN:-}" ]; then
  F="$FRONTLINE_BIN"
else
  cargo build --release -q -p frontline-cli
  F="$PWD/target/release/frontline"
fi
TMP="$(mktemp -d)"
DB="$TMP/http.db"
"$F" --db "$DB" import tallies data/general-staff-tallies/*.json >/dev/null
"$F" --db "$DB" import boundaries data/boundaries-naturalearth/countries_ua_ru_by_ne10m.geojson >/dev/null
"$F" --db "$DB" import control "${FRONTLINE_ARCHIVE:-$DATA/deepstate-history}" >/dev/null 2>&1
PORT=18181
"$F" --db "$DB" serve --addr "127.0.0.1:$PORT" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER; rm -rf "$TMP"' EXIT
sleep 1
for path in "/api/v1/series/personnel?from=2024-11-01&to=2024-11-30" "/api/v1/territory/area?status=liberated&within=RU" \
            "/api/v1/territory/control?date=2024-11-01" \
            "/api/v1/tiles/control/6/38/22" "/api/v1/tiles/control/9/308/178"; do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT$path"
  # Plain, gzip-compressed, and revalidated with the answer's ETag (a 304).
  etag=$(curl -sf -D - -o /dev/null "http://127.0.0.1:$PORT$path" | tr -d '\r' | sed -n 's/^etag: //Ip')
  for how in plain gzip 304; do
    case $how in
      plain) h=() ;;
      gzip) h=(-H "Accept-Encoding: gzip") ;;
      304) h=(-H "If-None-Match: $etag") ;;
    esac
    bytes=$(curl -sf "${h[@]}" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT$path" || true)
    echo "== $path ($how, $bytes bytes)"
    wrk -t2 -c32 -d10s --latency "${h[@]}" "http://127.0.0.1:$PORT$path" | grep -E "Requests/sec|99%|Non-2xx"
  done
done
echo "server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2, $3}')"
