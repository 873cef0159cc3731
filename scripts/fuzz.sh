#!/usr/bin/env bash
# Coverage-guided fuzzing of every reader of user input (tests/fuzz/), under ASan+UBSan.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60 s; all targets)
# FUZZ_SEED (default 1) seeds libFuzzer, so CI explores the same inputs first on every run.
# Builds the libFuzzer targets with clang into build-sanitize/ (shared with scripts/sanitize.sh),
# then runs each from its committed corpus (tests/fuzz/corpus/NAME/, read only: new inputs go to
# a scratch folder) for the given time, with a 10 s per-input timeout and a 2 GB memory limit
# (an input that needs more is a finding: nothing a user feeds in may allocate without bound).
# Exit 1 on any finding; the crashing input is saved under build-sanitize/fuzz-findings/ and
# belongs in tests/fuzz/corpus/NAME/ once fixed, where every CTest run replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(mtx config specs results cache)
bash scripts/build_sanitize.sh fuzz
findings=build-sanitize/fuzz-findings
mkdir -p "$findings"
status=0
for t in "${targets[@]}"; do
  scratch=$(mktemp -d)
  echo "fuzz: $t for ${seconds} s (corpus tests/fuzz/corpus/$t)"
  if ! ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "build-sanitize/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -seed="${FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 \
      -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/$t-" \
      "$scratch" "tests/fuzz/corpus/$t" >"$findings/$t.log" 2>&1; then
    echo "fuzz: $t: FINDING (log $findings/$t.log):" >&2
    grep -E "ERROR|SUMMARY|Test unit written|uncaught|out-of-memory|timeout" "$findings/$t.log" | head -8 >&2
    status=1
  else
    grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$findings/$t.log" | tr '\n' ' '
    echo
  fi
  rm -rf "$scratch"
done
exit $status
