#!/usr/bin/env bash
# The weekly nowcast backtest of issue #11, Frontline against the R
# `surveillance` package's nowcast(method = "lawless"), on the same Oryx
# items in one run: as of each Sunday 2024-06-02 .. 2025-03-30, the 8 most
# recent Monday weeks, scored against the final count by event week.
#
#   FRONTLINE_DATA=../shared/data bash bench/nowcast.sh
#
# Needs: apt install r-cran-surveillance sqlite3
source "$(dirname "$0")/lib.sh"
OUT="$TMP"
DB="$OUT/bench.db"
O="$DATA/oryx-scarnecchia"
"$BIN" --db "$DB" import losses "$O/event_destroyed.csv" "$O/event_damaged.csv" \
  "$O/event_abandoned.csv" "$O/event_captured.csv" --format oryx >/dev/null 2>&1

range=(--source oryx --from 2024-06-02 --to 2025-03-30 --period week --recent 8)
best=""
for _ in 1 2 3 4 5; do
  start=$(date +%s.%N)
  "$BIN" --db "$DB" backtest "${range[@]}" --format csv >"$OUT/frontline.csv"
  s=$(echo "$(date +%s.%N) - $start" | bc)
  if [ -z "$best" ] || [ "$(echo "$s < $best" | bc)" = 1 ]; then best=$s; fi
done
echo "frontline backtest (best of 5, whole command: load + 44 nowcasts): $best s"
echo "frontline: $(tail -1 "$OUT/frontline.csv") (nowcast_mae,naive_mae,coverage,n)"

# The same items, current versions, as event,published,count.
sqlite3 -csv "$DB" "SELECT v.event_date, v.published_date, v.count
  FROM evidence_item i JOIN evidence_version v
    ON v.item_id = i.id AND v.version = i.current_version
  WHERE i.tombstoned_source_id IS NULL
    AND v.event_date IS NOT NULL AND v.published_date IS NOT NULL" >"$OUT/items.csv"
for dm in "26 52" "13 52" "8 26"; do
  # shellcheck disable=SC2086
  Rscript bench/nowcast_surveillance.R "$OUT/items.csv" $dm
done
rm -rf "$OUT"
