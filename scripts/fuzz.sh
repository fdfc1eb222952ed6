#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan, in build-asan/, the tree that
# scripts/sanitize.sh asan builds its test suite in) and runs each
# one for SECONDS over its seed corpus (tests/fuzz/corpus/<target>/), one target
# at a time, single process. Prints executions, exec/s and coverage per target;
# exits 1 if any target found a crash, a leak, a timeout or an out-of-memory.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     targets: idx model http image keras exif decode
#   scripts/fuzz.sh --make-corpus                         rewrites the seed corpora
# Environment: FUZZ_BUILD (build dir, default build-asan), FUZZ_BUILD_JOBS (2),
# FUZZ_ARGS (extra libFuzzer flags). New inputs found go to FUZZ_BUILD/corpus/<target>/
# (the seed corpus is only read); crashing inputs to FUZZ_BUILD/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD:-build-asan}
jobs=${FUZZ_BUILD_JOBS:-2}
all_targets=(idx model http image keras exif decode)

configure() {
  source scripts/lib/asan-build.sh
  configure_asan_build "$build"
}

if [ "${1:-}" = "--make-corpus" ]; then
  configure
  cmake --build "$build" -j"$jobs" --target blnk_fuzz_make_corpus
  "$build/blnk_fuzz_make_corpus" tests/fuzz/corpus
  du -sh tests/fuzz/corpus/*
  exit 0
fi

seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (known: ${all_targets[*]})" >&2; exit 2; }
done

configure
cmake --build "$build" -j"$jobs" --target "${targets[@]/#/blnk_fuzz_}" >/dev/null

mkdir -p "$build/artifacts"
failed=0
summary=()
for t in "${targets[@]}"; do
  work="$build/corpus/$t"
  log="$build/fuzz-$t.log"
  mkdir -p "$work"
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=("-dict=tests/fuzz/$t.dict")
  echo "== fuzz $t for ${seconds}s (log: $log)"
  set +e
  # One process (-jobs/-workers unset), bounded in time, memory and per-input time.
  # $work first: new inputs are written there, never into the seed corpus.
  "$build/blnk_fuzz_$t" "$work" "tests/fuzz/corpus/$t" "${dict[@]}" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" ${FUZZ_ARGS:-} >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  line="$t: ${runs:-?} executions, ${speed:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"
  if [ $rc -ne 0 ]; then
    failed=1
    line+=", FAILED (exit $rc)"
    echo "-- $t failed; the end of its log:" >&2
    grep -E "ERROR: |SUMMARY: |Test unit written|blnk fuzz:|out-of-memory|timeout" "$log" | head -20 >&2 || true
  fi
  echo "$line"
  summary+=("$line")
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $failed
