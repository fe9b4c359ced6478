#!/usr/bin/env bash
# Issue #27: a tile request after a sync, on a long archive. A release
# server on a database of the archive given (SQLite), then:
#   - the first tile request ever (the server builds the pyramid while the
#     request waits);
#   - one new map imported by another process (as a sync does);
#   - the first tile request after it (served from the pyramid before while
#     a thread builds the new one), and the same tile until its ETag
#     changes: how long the new pyramid took;
#   - the server's peak RSS (VmHWM) at the end.
#
#   bash bench/scale/tiles.sh /tmp/scale-2800/deepstate [PORT]
set -euo pipefail
cd "$(dirname "$0")/../.."
ARCHIVE="$1"
PORT="${2:-18931}"
BIN="$PWD/target/release/frontline"
[ -x "$BIN" ] || cargo build --release -q -p frontline-cli
TMP="$(mktemp -d)"
DB="$TMP/tiles.db"
"$BIN" --db "$DB" import places data/gazetteer-geonames/cities500_ua_ru_by_border_bbox.csv >/dev/null 2>&1
"$BIN" --db "$DB" import control "$ARCHIVE" >/dev/null 2>&1
"$BIN" --db "$DB" serve --addr "127.0.0.1:$PORT" >"$TMP/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
API="http://127.0.0.1:$PORT/api/v1"
for _ in $(seq 100); do curl -sf "$API/sources" >/dev/null && break; sleep 0.1; done
# Three tiles: the world (zoom 0), Donetsk (zoom 9), and the front at
# zoom 6, the largest (every day's line in one tile).
TILES="0/0/0 9/308/178 6/38/22"
tile() { curl -s -o /dev/null -D "$TMP/head" -w '%{http_code} %{size_download} B %{time_total} s' "$API/tiles/control/$1"; }
etag() { grep -i '^etag:' "$TMP/head" | tr -d '\r' | cut -d' ' -f2; }
echo "== $(ls "$ARCHIVE"/*.geojson.gz | wc -l) maps ($ARCHIVE)"
echo "first tile ever, 0/0/0 (the pyramid built while it waits): $(tile 0/0/0)"
declare -A before
for t in $TILES; do echo "  $t again: $(tile "$t")"; before[$t]=$(etag); done
last=$(ls "$ARCHIVE"/*.geojson.gz | sort | tail -1)
mkdir "$TMP/next"
python3 bench/scale/make.py "$last" "$TMP/next" --next-of
"$BIN" --db "$DB" import control "$TMP/next" >/dev/null 2>&1
asked=$(date +%s.%N)
for t in $TILES; do
  echo "first $t after one new map: $(tile "$t") ($( [ "$(etag)" = "${before[$t]}" ] && echo "from the pyramid before" || echo "NEW pyramid"))"
done
tile 0/0/0 >/dev/null
while [ "$(etag)" = "${before[0/0/0]}" ]; do sleep 0.2; tile 0/0/0 >/dev/null; done
echo "new pyramid served after: $(python3 -c "import sys,time; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$asked") s"
echo "server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2, $3}')"
