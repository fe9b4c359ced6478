#!/usr/bin/env bash
# OGC API – Features against the API's own GeoJSON (#25), and the
# GeoPackage export against GDAL converting the same features.
#
#   FRONTLINE_DATA=../shared/data bash bench/ogc.sh
#
# 1. One day's occupied layer (2024-11-01, DeepState) through
#    `/ogc/collections/control-deepstate-occupied/items?limit=10000` and
#    through `/api/v1/territory/control` (every status of that day), with wrk
#    (1 thread, 32 connections, 10 s; the server pinned to CPU 0 and wrk to
#    CPU 1, so that they do not take turns on one core), in turns A B A B:
#    - cached: the same request again (plain and gzip);
#    - uncached: on a server restarted empty, each of the archive's 263
#      days once, two at a time (the server has one core), so none is
#      answered from the cache. curl, not wrk: wrk runs for a set time, and
#      repeating a day would be answered from the cache (all 263 answers
#      of /ogc fit in it).
# 2. `export layer --format gpkg` of that layer against `ogr2ogr -f GPKG` of
#    the same features saved as GeoJSON: both as process time (start to
#    exit, median of 5), Frontline's including its store read and geometry.
source "$(dirname "$0")/lib.sh"
F="$BIN"
DB="$TMP/ogc.db"
"$F" --db "$DB" import tallies data/general-staff-tallies/*.json >/dev/null
"$F" --db "$DB" import control "$DATA/deepstate-history" >/dev/null 2>&1
PORT=18191
start() {
  taskset -c 0 "$F" --db "$DB" serve --addr "127.0.0.1:$PORT" 2>/dev/null &
  SERVER=$!
  sleep 1
}
start
trap 'kill $SERVER; rm -rf "$TMP"' EXIT
URL="http://127.0.0.1:$PORT"
OGC="/ogc/collections/control-deepstate-occupied/items?limit=10000&datetime=%s"
API="/api/v1/territory/control?date=%s"
curl -sf "$URL/api/v1/territory/snapshots" | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["days"]))' >"$TMP/days"
echo "$(wc -l <"$TMP/days") days"

rps() { taskset -c 1 wrk -t1 -c32 -d10s "$@" | sed -n 's/Requests\/sec: *//p'; }
for name in ogc api; do
  if [ $name = ogc ]; then t=$OGC; else t=$API; fi
  # shellcheck disable=SC2059
  p=$(printf "$t" 2024-11-01)
  plain=$(curl -sf -o /dev/null -w '%{size_download}' "$URL$p")
  gz=$(curl -sf -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$URL$p")
  echo "$name $p: $plain bytes, $gz gzip"
done
for round in 1 2; do
  for name in ogc api; do
    if [ $name = ogc ]; then t=$OGC; else t=$API; fi
    # shellcheck disable=SC2059
    p=$(printf "$t" 2024-11-01)
    echo "round $round $name cached plain $(rps "$URL$p") req/s"
    echo "round $round $name cached gzip $(rps -H 'Accept-Encoding: gzip' "$URL$p") req/s"
    kill $SERVER; wait $SERVER || true; start
    # shellcheck disable=SC2059
    while read -r day; do printf "$URL$t\n" "$day"; done <"$TMP/days" >"$TMP/urls"
    s=$(date +%s%N)
    taskset -c 1 xargs -P2 -n1 curl -sf -o /dev/null <"$TMP/urls"
    r=$(python3 -c "print(round($(wc -l <"$TMP/urls") / (($(date +%s%N) - $s) / 1e9), 1))")
    echo "round $round $name uncached $r req/s"
  done
  # The same content as one /api/v1 answer (every status of a day) is
  # three /ogc collections: each day's three, uncached, as days a second.
  kill $SERVER; wait $SERVER || true; start
  while read -r day; do
    for st in occupied liberated contested; do
      echo "$URL/ogc/collections/control-deepstate-$st/items?limit=10000&datetime=$day"
    done
  done <"$TMP/days" >"$TMP/urls3"
  s=$(date +%s%N)
  taskset -c 1 xargs -P2 -n1 curl -sf -o /dev/null <"$TMP/urls3"
  echo "round $round ogc, three statuses, uncached $(python3 -c "print(round($(wc -l <"$TMP/days") / (($(date +%s%N) - $s) / 1e9), 1))") days/s"
done

curl -sf "$URL$(printf "$OGC" 2024-11-01)" >"$TMP/day.geojson"
median5() {
  for i in 1 2 3 4 5; do
    rm -f "$TMP/out.gpkg"
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1
    echo $(( ($(date +%s%N) - s) / 1000000 ))
  done | sort -n | sed -n 3p
}
echo "export layer gpkg: $(median5 "$F" --db "$DB" export layer --what control --mapper deepstate --status occupied --date 2024-11-01 --format gpkg --out "$TMP/out.gpkg") ms"
echo "ogr2ogr gpkg: $(median5 ogr2ogr -f GPKG "$TMP/out.gpkg" "$TMP/day.geojson") ms ($(ogr2ogr --version))"
