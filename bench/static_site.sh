#!/usr/bin/env bash
# The static export's first view and slider, as bench/first_view.mjs
# measures the live page: export the browser test's database as a site,
# serve it with the plain static server of the tests (gzip for text, range
# requests), and load it in Chromium.
#
#   DB=frontline-demo.db bash bench/static_site.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${DB:-frontline-demo.db}"
cargo build --release -q -p frontline-cli
(cd web && npm run build >/dev/null)
TMP="$(mktemp -d)"
/usr/bin/time -f "export site: %e s, peak %M KiB" target/release/frontline --db "$DB" export site --out "$TMP/site" --web web/dist
du -sh "$TMP/site" "$TMP/site/tiles/control.pmtiles"
PORT=18191
node -e "import('./web/tests/support/static-server.mjs').then((m) => m.serveStatic('$TMP/site', $PORT))" &
SERVER=$!
trap 'kill $SERVER; rm -rf "$TMP"' EXIT
sleep 1
for _ in 1 2 3; do node bench/first_view.mjs "http://127.0.0.1:$PORT"; done
