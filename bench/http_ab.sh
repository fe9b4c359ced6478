#!/usr/bin/env bash
# Two builds of the server, one database, measured in turns: each query
# with wrk on build A, then B, then A, then B (10 s each, 2 threads, 32
# connections), so that drift of the machine falls on both alike. Used to
# show what a change to every answer costs (#21: the security headers and
# the per-client connection cap).
#
#   FRONTLINE_DATA=../shared/data A=/tmp/frontline-old B=/tmp/frontline-new bash bench/http_ab.sh
#
# PIN=1 runs both servers on CPU 0 and wrk (one thread) on CPU 1, so that
# the client and the servers do not take turns on the same core: on a
# 2-core machine unpinned rounds of one build differ by up to 30 %.
# ROUNDS=N (default 2) turns A/B N times.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${FRONTLINE_DATA:-$(cd .. && pwd)/shared/data}"
: "${A:?set A to the first build}" "${B:?set B to the second build}"
TMP="$(mktemp -d)"
DB="$TMP/http.db"
"$A" --db "$DB" import tallies data/general-staff-tallies/*.json >/dev/null
"$A" --db "$DB" import boundaries data/boundaries-naturalearth/countries_ua_ru_by_ne10m.geojson >/dev/null
"$A" --db "$DB" import control "$DATA/deepstate-history" >/dev/null 2>&1
if [ "${PIN:-}" = 1 ]; then SRV=(taskset -c 0); CLI=(taskset -c 1 wrk -t1); else SRV=(); CLI=(wrk -t2); fi
"${SRV[@]}" "$A" --db "$DB" serve --addr 127.0.0.1:18281 2>/dev/null & PA=$!
"${SRV[@]}" "$B" --db "$DB" serve --addr 127.0.0.1:18282 2>/dev/null & PB=$!
trap 'kill $PA $PB; rm -rf "$TMP"' EXIT
sleep 1
for path in "/api/v1/series/personnel?from=2024-11-01&to=2024-11-30" "/api/v1/territory/area?status=liberated&within=RU" \
            "/api/v1/territory/control?date=2024-11-01" "/api/v1/tiles/control/9/308/178"; do
  for port in 18281 18282; do curl -sf -o /dev/null "http://127.0.0.1:$port$path"; done
  etag=$(curl -sf -D - -o /dev/null "http://127.0.0.1:18281$path" | tr -d '\r' | sed -n 's/^etag: //Ip')
  for how in plain 304; do
    case $how in plain) h=() ;; 304) h=(-H "If-None-Match: $etag") ;; esac
    for round in $(seq 1 "${ROUNDS:-2}"); do
      for side in A:18281 B:18282; do
        rps=$("${CLI[@]}" -c32 -d10s "${h[@]}" "http://127.0.0.1:${side#*:}$path" | sed -n 's/Requests\/sec: *//p')
        echo "$path $how round$round ${side%%:*} $rps"
      done
    done
  done
done
