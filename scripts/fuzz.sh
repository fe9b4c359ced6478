#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser with cargo fuzz (libFuzzer), as CI
# runs it: each target for a fixed number of runs from a fixed seed, so a
# run here replays exactly in CI. Any crash, hang (10 s per input) or memory
# blow-up (2 GiB) fails. Seeds are committed in fuzz/corpus/<target>; what a
# run discovers goes to a temporary folder, not the repository.
#
#   RUNS=200000 bash scripts/fuzz.sh [target…]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-500000}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
# cargo fuzz's instrumentation flags are nightly-only by name; this stable
# toolchain accepts them when told it is building itself.
export RUSTC_BOOTSTRAP=1
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=($(cd fuzz/fuzz_targets && ls *.rs | sed 's/\.rs$//'))
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
(cd fuzz && cargo fuzz build --sanitizer none -O)
for t in "${TARGETS[@]}"; do
  mkdir -p "$OUT/$t"
  start=$(date +%s)
  (cd fuzz && cargo fuzz run --sanitizer none -O "$t" "$OUT/$t" "corpus/$t" -- \
      -runs="$RUNS" -seed=1 -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>"$OUT/$t.log") || {
    tail -40 "$OUT/$t.log"; echo "fuzz target $t FAILED"; exit 1; }
  echo "fuzz $t: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$OUT/$t.log" | grep -o '[0-9]*$') runs, $(( $(date +%s) - start )) s, no crash"
done
