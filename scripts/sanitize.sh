#!/usr/bin/env bash
# Builds the whole test suite under sanitizers and runs it with ctest.
#   scripts/sanitize.sh [asan|tsan|all] [CTEST_ARGS...]        (default: asan)
#   asan: AddressSanitizer + UndefinedBehaviorSanitizer (-DBLNK_SANITIZE=ON, clang), in
#         build-asan/, every test. The same tree holds the libFuzzer targets, which
#         scripts/fuzz.sh builds and runs (scripts/lib/asan-build.sh: one build for both).
#   tsan: ThreadSanitizer (clang, with LLVM's libomp and its Archer tool so that
#         OpenMP's own synchronisation is understood), in build-tsan/: the server
#         suite, the training suite (threaded training runs with 2 threads) and
#         the multi-threaded parts of the others.
# Environment: SANITIZE_JOBS (build and ctest parallelism, default 2).
# Exit status: non-zero if a build or any test fails (a sanitizer report fails its test).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-asan}
shift || true
jobs=${SANITIZE_JOBS:-2}
common=(-DBLNK_NATIVE=ON -DBLNK_BUILD_BENCH=OFF -DBLNK_BUILD_TESTS=ON)

run_asan() {
  local dir=build-asan
  source scripts/lib/asan-build.sh
  configure_asan_build "$dir"
  cmake --build "$dir" -j"$jobs"
  export_asan_options
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" --timeout 900 "$@"
}

run_tsan() {
  local dir=build-tsan
  # Not BLNK_SANITIZE (ASan and TSan exclude each other): the flags directly.
  # Some tests replace the global operator new to count allocations, and clang's
  # static TSan runtime defines it too: the linker keeps the test's (which calls
  # malloc, which TSan intercepts). clang 14's shared TSan runtime crashes at start.
  [ -f "$dir/CMakeCache.txt" ] ||
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      "-DCMAKE_CXX_FLAGS=-fsanitize=thread -fno-omit-frame-pointer -Wno-unknown-warning-option" "-DCMAKE_C_FLAGS=-fsanitize=thread" \
      "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread -Wl,--allow-multiple-definition" "${common[@]}" >/dev/null
  cmake --build "$dir" -j"$jobs"
  # Archer (LLVM's OpenMP tool for TSan) tells TSan about OpenMP's barriers and
  # reductions, which libomp performs in uninstrumented code; without it every
  # parallel region reports false races.
  local archer
  archer=$(clang++ -print-resource-dir)/../../libarcher.so
  [ -f "$archer" ] || archer=$(ls /usr/lib/llvm-*/lib/libarcher.so 2>/dev/null | head -1)
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:history_size=4:ignore_noninstrumented_modules=1" \
  OMP_TOOL_LIBRARIES="$archer" ARCHER_OPTIONS="verbose=0" \
    ctest --test-dir "$dir" --output-on-failure -j"$jobs" --timeout 1800 "$@"
}

case "$mode" in
  asan) run_asan "$@" ;;
  tsan) run_tsan "$@" ;;
  all) run_asan "$@"; run_tsan "$@" ;;
  *) echo "sanitize.sh: unknown mode '$mode' (asan, tsan, all)" >&2; exit 2 ;;
esac
