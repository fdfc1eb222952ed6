# Shared by scripts/sanitize.sh (asan), scripts/fuzz.sh and .ci/run (sourced, not run, from
# the repository root): one build for the test suite and the fuzz targets, so CI compiles
# the sanitized tree once.
# configure_asan_build DIR: clang, AddressSanitizer + UndefinedBehaviorSanitizer
# (BLNK_SANITIZE), every library also instrumented for libFuzzer's coverage
# (-fsanitize=fuzzer-no-link), the test suite and the libFuzzer targets (BLNK_FUZZ).
# -O2 without NDEBUG (Eigen's bounds checks stay on); -gline-tables-only keeps file:line in
# every report at a fraction of full debug info's compile and link time.
# A tree configured otherwise (an older sanitize.sh's GCC build-asan) is configured afresh.
configure_asan_build() {
  local dir=$1
  local marker="BLNK_ASAN_BUILD:STRING=clang-fuzzer-1"
  grep -qx "$marker" "$dir/CMakeCache.txt" 2>/dev/null && return 0
  local flags="-O2 -gline-tables-only"
  cmake --fresh --no-warn-unused-cli -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
    "-DCMAKE_CXX_FLAGS_DEBUG=$flags" "-DCMAKE_C_FLAGS_DEBUG=$flags" \
    "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link -Wno-unknown-warning-option" "-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link" \
    -DBLNK_SANITIZE=ON -DBLNK_FUZZ=ON -DBLNK_BUILD_TESTS=ON -DBLNK_NATIVE=ON -DBLNK_BUILD_BENCH=OFF \
    "-D${marker}" >/dev/null
}

# export_asan_options: how the test suite runs under it. halt_on_error: the first report
# fails the test; leaks are reported at exit.
export_asan_options() {
  export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
}
