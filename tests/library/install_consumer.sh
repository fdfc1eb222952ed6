#!/bin/sh
# The install rules, as a user meets them: cmake --install into a temporary prefix;
# examples/ configured and built against it through find_package(blnk) and, apart,
# through pkg-config; each build reads PHOTO and must say DIGIT; the installed blnk,
# run from another folder, takes its bundled model from the prefix and reads it too.
# Reconfigures only the small example project: nothing of blnk is rebuilt.
#   install_consumer.sh BUILD_DIR SOURCE_DIR PHOTO DIGIT [CXX]
set -eu
build=$1 src=$2 photo=$3 digit=$4 cxx=${5:-c++}
if [ ! -f "$photo" ]; then echo "SKIPPED: no $photo (the photographed digits)"; exit 77; fi
command -v pkg-config >/dev/null || { echo "FAIL: no pkg-config: apt-get install pkgconf (scripts/setup.sh --test)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "FAIL: $*" >&2; [ -f "$tmp/log" ] && cat "$tmp/log" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >"$tmp/log" 2>&1 || fail "cmake --install $build"
for f in bin/blnk include/blnk/blnk.h share/blnk/mnist.blnk share/blnk/digit-gate.blnk share/blnk/digit-gate-int8.blnk; do
  [ -f "$prefix/$f" ] || fail "cmake --install did not install $f"
done

expect_digit() {  # what, program...
  what=$1; shift
  out=$("$@" 2>&1) || fail "$what: $* exited $?: $out"
  case "$out" in
    *": $digit ("*) echo "$what: $out" ;;
    *) fail "$what: expected digit $digit, got: $out" ;;
  esac
}

# find_package(blnk 0.1 REQUIRED) + blnk::blnk
cmake -S "$src/examples" -B "$tmp/by-cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER="$cxx" >"$tmp/log" 2>&1 || fail "configuring examples/ with find_package(blnk)"
cmake --build "$tmp/by-cmake" >"$tmp/log" 2>&1 || fail "building examples/ against the installed tree"
expect_digit "find_package" "$tmp/by-cmake/read_photo" "$photo"

# pkg-config, from blnk.pc where it was installed (the prefix is found from there)
pcdir=$(dirname "$(find "$prefix" -name blnk.pc | head -n 1)")
[ -f "$pcdir/blnk.pc" ] || fail "no blnk.pc installed"
flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs blnk) || fail "pkg-config --cflags --libs blnk"
models=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=modelsdir blnk)
libdir=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=libdir blnk)
# shellcheck disable=SC2086  # the flags are words
"$cxx" -std=c++17 -O1 "$src/examples/read_photo.cpp" -o "$tmp/read_photo_pc" -DBLNK_MODELS_DIR="\"$models\"" \
  $flags -Wl,-rpath,"$libdir" >"$tmp/log" 2>&1 || fail "building examples/read_photo.cpp with pkg-config's flags: $flags"
expect_digit "pkg-config" "$tmp/read_photo_pc" "$photo"

# The installed binary, from another folder and without BLNK_MODEL: its bundled model is the prefix's.
cd "$tmp"
model=$(env -u BLNK_MODEL "$prefix/bin/blnk" summary | head -n 1)
[ "$model" = "$prefix/share/blnk/mnist.blnk" ] || fail "the installed blnk takes $model, not $prefix/share/blnk/mnist.blnk"
expect_digit "installed blnk predict" env -u BLNK_MODEL -u BLNK_GATE "$prefix/bin/blnk" predict "$photo"
"$prefix/bin/blnk" --version | grep -q "^blnk [0-9]" || fail "blnk --version"
