#!/usr/bin/env bash
# `frontline sync deepstate` against the DeepState archive served as the
# live API on loopback: a full history sync into an empty database, then an
# incremental run with nothing new (one conditional request); the peer is
# `import control` of the same files from disk, measured in the same run.
#
#   FRONTLINE_DATA=../shared/data bash bench/sync.sh
#
# The 263 snapshots of deepstate-history are laid out as
# /api/history/public and /api/history/{id}/geojson and served by Python's
# http.server (no ETag; Last-Modified makes the second list request a 304).
source "$(dirname "$0")/lib.sh"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
mkdir -p "$TMP/api/api/history"
ids=()
for f in "$DATA"/deepstate-history/*.geojson*; do
  id="$(basename "$f" | cut -d. -f1)"
  mkdir -p "$TMP/api/api/history/$id"
  if [[ "$f" == *.gz ]]; then gunzip -c "$f" > "$TMP/api/api/history/$id/geojson"; else cp "$f" "$TMP/api/api/history/$id/geojson"; fi
  ids+=("{\"id\":$id}")
done
(IFS=,; echo "[${ids[*]}]") > "$TMP/api/api/history/public"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$TMP/api" >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/history/public" && break; sleep 0.1; done
# The guardrails compare each map with the one before: no day of the
# archive jumps past them, so the whole history is applied.
s=$(date +%s%N)
"$BIN" --db "$TMP/s.db" sync deepstate --base-url "http://127.0.0.1:$PORT" --interval-ms 0 --format csv | tail -1
echo "full history sync (${#ids[@]} snapshots, SQLite): $(ms "$s") ms"
s=$(date +%s%N)
"$BIN" --db "$TMP/s.db" sync deepstate --base-url "http://127.0.0.1:$PORT" --interval-ms 0 --format csv | tail -1
echo "incremental run, nothing new: $(ms "$s") ms"
s=$(date +%s%N)
"$BIN" --db "$TMP/i.db" import control "$DATA/deepstate-history" >/dev/null 2>&1
echo "peer: import control of the same files from disk: $(ms "$s") ms"
