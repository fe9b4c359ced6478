#!/usr/bin/env bash
# SQLite against PostgreSQL + PostGIS on the same work, in one run:
# importing the DeepState archive (with outlines, places and tallies), the
# warm territory queries (whole CLI process, best of 5), and repeated
# `GET /api/v1/series/personnel` under wrk -t2 -c32 for 10 s.
#
#   FRONTLINE_DATA=../shared/data bash bench/backends.sh
#
# Needs Debian's postgresql, postgresql-15-postgis-3 and wrk. PostgreSQL runs
# in a throwaway cluster on a free loopback port (as the `postgres` user when
# run as root), removed at the end. Load goes to 127.0.0.1 only.
source "$(dirname "$0")/lib.sh"
chmod 755 "$TMP"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort | tail -1)"
AS=""; [ "$(id -u)" = 0 ] && AS="runuser -u postgres --"
PGDIR="$TMP/pg"; mkdir -p "$PGDIR"; [ -n "$AS" ] && chown postgres "$PGDIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$AS "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust --no-locale -E UTF8 >/dev/null
$AS "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1" -w start >/dev/null
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  $AS "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT
psql -q -h 127.0.0.1 -p "$PORT" -U postgres -c "CREATE DATABASE bench" postgres

for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then DB="$TMP/bench.db"; else DB="postgres://postgres@127.0.0.1:$PORT/bench"; fi
  echo "== $backend"
  # Creating the schema (and PostGIS) once is set-up, not import.
  "$BIN" --db "$DB" sources >/dev/null
  s=$(date +%s%N)
  "$BIN" --db "$DB" import tallies data/general-staff-tallies/*.json >/dev/null
  echo "  import tallies (3 files, 22,666 records): $(ms "$s") ms"
  s=$(date +%s%N)
  "$BIN" --db "$DB" import boundaries "$DATA/boundaries-naturalearth/countries_ua_ru_by_ne10m.geojson" >/dev/null
  echo "  import outlines: $(ms "$s") ms"
  s=$(date +%s%N)
  "$BIN" --db "$DB" import places "$DATA/gazetteer-geonames/cities500_ua_ru_by_border_bbox.csv" >/dev/null
  echo "  import places (3,505): $(ms "$s") ms"
  s=$(date +%s%N)
  "$BIN" --db "$DB" import control "$DATA/deepstate-history" >/dev/null 2>&1
  echo "  import control (263 DeepState snapshots): $(ms "$s") ms"
  s=$(date +%s%N)
  "$BIN" --db "$DB" import losses "$DATA"/oryx-scarnecchia/event_*.csv --format oryx >/dev/null 2>&1
  echo "  import losses (37,505 Oryx rows): $(ms "$s") ms"
  warm "$DB" "${WARM_TERRITORY[@]}" "nowcast --source oryx --as-of 2024-12-31 --period week"
  HTTP=$((PORT + 1))
  "$BIN" --db "$DB" serve --addr "127.0.0.1:$HTTP" 2>/dev/null &
  SERVER=$!
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$HTTP/api/v1/health" >/dev/null && break; sleep 0.2; done
  path="/api/v1/series/personnel?from=2024-11-01&to=2024-11-30"
  curl -sf -o /dev/null "http://127.0.0.1:$HTTP$path"
  echo "  wrk -t2 -c32 -d10s $path:"
  wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$HTTP$path" | grep -E "Requests/sec|99%|Non-2xx" | sed 's/^/    /'
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
done
