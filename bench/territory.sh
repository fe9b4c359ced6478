#!/usr/bin/env bash
# The Kursk-window benchmark: Frontline's cold path (import + daily liberated
# area within RU + peak + settlements inside each day) against the geopandas
# peer doing the same work from the same files, in one run.
#
#   FRONTLINE_DATA=../shared/data bash bench/territory.sh
#
# Needs: pip install geopandas (shapely, pyproj, pyogrio come with it).
source "$(dirname "$0")/lib.sh"
OUT="$TMP"
DB="$OUT/bench.db"

cold() {
  "$BIN" --db "$DB" import boundaries "$DATA/boundaries-naturalearth/countries_ua_ru_by_ne10m.geojson" >/dev/null
  "$BIN" --db "$DB" import places "$DATA/gazetteer-geonames/cities500_ua_ru_by_border_bbox.csv" >/dev/null
  "$BIN" --db "$DB" import control "$DATA/deepstate-history" >/dev/null 2>&1
  "$BIN" --db "$DB" territory area --status liberated --within RU --format csv >"$OUT/rust_area.csv"
  "$BIN" --db "$DB" territory peak --status liberated --within RU --format csv >"$OUT/rust_peak.csv"
  "$BIN" --db "$DB" territory settlements --status liberated --within RU --from 2024-08-01 --to 2025-04-30 --format csv >"$OUT/rust_settlements.csv"
}

start=$(date +%s.%N)
cold
rust_s=$(echo "$(date +%s.%N) - $start" | bc)
echo "frontline: cold path $rust_s s; peak $(tail -1 "$OUT/rust_peak.csv")"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -o "$OUT/rss" -f '%M' "$BIN" --db "$OUT/rss.db" import control "$DATA/deepstate-history" >/dev/null 2>&1
  echo "frontline: import control peak memory $(cat "$OUT/rss") KiB"
fi

echo "frontline: warm queries (ms, best of 5):"
warm "$DB" "${WARM_TERRITORY[@]}"

start=$(date +%s.%N)
python3 bench/territory_geopandas.py "$DATA" "$OUT/py_area.csv" "$OUT/py_settlements.csv"
py_s=$(echo "$(date +%s.%N) - $start" | bc)
echo "geopandas: wall $py_s s"
echo "speed-up: $(echo "scale=1; $py_s / $rust_s" | bc)x"

python3 - "$OUT" <<'PY'
import csv, sys
out = sys.argv[1]
# The peer clips without the sliver rule (docs/territory.md): compare the
# raw clip, area plus the slivers the rule set apart.
rust = {
    r["snapshot"]: float(r["area_km2"]) + float(r.get("slivers_km2") or 0)
    for r in csv.DictReader(open(f"{out}/rust_area.csv"))
}
py = {r["snapshot"]: float(r["area_km2"]) for r in csv.DictReader(open(f"{out}/py_area.csv"))}
worst = max(abs(rust[k] - v) / max(v, 1e-9) for k, v in py.items())
print(f"areas: {len(py)} snapshots compared, worst relative difference {worst:.2e}")
rs = {(r["date"], r["name"]) for r in csv.DictReader(open(f"{out}/rust_settlements.csv"))}
ps = {(r["date"], r["name"]) for r in csv.DictReader(open(f"{out}/py_settlements.csv"))}
# Frontline lists every day (missing days carry the last snapshot); compare on snapshot days.
days = {d for d, _ in ps} | {r["snapshot"][:10] for r in csv.DictReader(open(f"{out}/py_area.csv"))}
rs = {x for x in rs if x[0] in days}
print(f"settlement-days: frontline {len(rs)}, geopandas {len(ps)}, differing {len(rs ^ ps)}")
PY
rm -rf "$OUT"
