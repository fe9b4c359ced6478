# What every benchmark script shares, sourced first: the repository root as
# the working folder, the data folder, a release build, a scratch folder and
# the warm-query timer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA="${FRONTLINE_DATA:-$(cd .. && pwd)/shared/data}"
cargo build --release -q -p frontline-cli
BIN="$PWD/target/release/frontline"
TMP="$(mktemp -d)"

# Milliseconds since $1 (a `date +%s%N`).
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# The territory questions every backend and peer comparison times warm.
WARM_TERRITORY=(
  "territory area --status liberated --within RU"
  "territory peak --status liberated --within RU"
  "territory change --status occupied --from 2024-11-01 --to 2024-12-01"
  "territory change --status occupied --period month"
  "territory settlements --status liberated --within RU --date 2024-09-01"
  "territory handovers --from 2025-03-01 --to 2025-03-31"
  "territory distance --status liberated --date 2024-09-01 --to Kursk"
)

# warm DB QUERY...: each query's best of five whole CLI runs, in ms.
warm() {
  local db="$1" q best e s; shift
  for q in "$@"; do
    best=999999
    for _ in 1 2 3 4 5; do
      s=$(date +%s%N); "$BIN" --db "$db" $q >/dev/null 2>&1; e=$(ms "$s")
      (( e < best )) && best=$e
    done
    printf '  %6d ms  %s\n' "$best" "$q"
  done
}
