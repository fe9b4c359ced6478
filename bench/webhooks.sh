#!/usr/bin/env bash
# Webhooks under a slow receiver (#24): 1,148 deliveries pending (7
# subscriptions × the 164 record days of the bundled tallies) to a receiver
# that holds each request 30 s before answering 200. The server's worker
# sends 4 at a time with a 10 s timeout, so everything stays pending and
# retried; the server's peak RSS (VmHWM) is read after SECS seconds, and
# an import and a read are timed while the worker waits on the receiver.
#
#   bash bench/webhooks.sh [SECS]        (default 60)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SECS="${1:-60}"
DB="$TMP/w.db"
PORT=18931
python3 - "$PORT" >"$TMP/receiver.log" 2>&1 <<'PY' &
import http.server, socketserver, sys, time
class Slow(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(30)
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
socketserver.ThreadingTCPServer.daemon_threads = True
socketserver.ThreadingTCPServer(("127.0.0.1", int(sys.argv[1])), Slow).serve_forever()
PY
RECEIVER=$!
trap 'kill $RECEIVER $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
"$BIN" --db "$DB" import tallies data/general-staff-tallies/russia_losses_personnel.json >/dev/null 2>&1
for i in 1 2 3 4 5 6 7; do
  "$BIN" --db "$DB" subscribe add --url "http://127.0.0.1:$PORT/hook$i" --kind record --allow-private >/dev/null 2>&1
done
"$BIN" --db "$DB" serve --addr 127.0.0.1:18932 --webhook-allow-private --webhook-poll-secs 1 \
  --webhook-retry-secs 1 --webhook-retry-max-secs 5 >"$TMP/server.log" 2>&1 &
SERVER=$!
sleep 2
s=$(date +%s%N); "$BIN" --db "$DB" import tallies data/general-staff-tallies/russia_losses_equipment.json data/general-staff-tallies/russia_losses_equipment_correction.json >/dev/null 2>&1
echo "import while the worker waits: $(ms "$s") ms"
s=$(date +%s%N); curl -sf -o /dev/null "http://127.0.0.1:18932/api/v1/events?limit=1000"
echo "GET /api/v1/events?limit=1000 while it waits: $(ms "$s") ms"
sleep "$SECS"
pending=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM delivery WHERE status = 'pending'\").fetchone()[0])" "$DB")
echo "pending deliveries after ${SECS} s: $pending"
echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$SERVER/status)"
