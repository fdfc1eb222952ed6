#!/usr/bin/env bash
# Sets blnk up on Debian 12: installs the Debian packages it needs (as root, or
# with sudo), then configures and builds into build/. Idempotent: on a built
# tree with everything installed it only checks and takes seconds.
#   scripts/setup.sh          packages to build and run (pybind11, Python headers and numpy for
#                             the Python module, build/python)
#   scripts/setup.sh --test   also what the tests need (Chromium and Python for the browser test;
#                             clang, libFuzzer and libomp for scripts/fuzz.sh and sanitize.sh tsan;
#                             onnx, OpenCV and Node.js with npm for the ONNX export's readers, tests/onnx;
#                             h5py, numpy and Pillow for tests/keras; what --heldout-fonts brings, for
#                             tests/stress/heldout-generated.sh)
#   scripts/setup.sh --heldout-fonts   also what scripts/make-heldout-set2.py to -set17.py need
#                             (OpenCV, Pillow, the Adwaita icons) and unpacks, never installs, the fonts only
#                             they read into build/heldout-fonts and build/heldout3-fonts to build/heldout17-fonts
#                             (scripts/fetch-heldout-fonts.sh says why)
#   scripts/setup.sh --bench  also the peers and data of the side-by-side benchmarks (docs/benchmarks.md):
#                             PyTorch with OpenMP OpenBLAS and tcmalloc (bench/tuned_torch.sh),
#                             Fashion-MNIST, and the emoji font of scripts/make-emoji-set.py
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake libeigen3-dev libstb-dev libturbojpeg0-dev libwebp-dev libcxxopts-dev doctest-dev
          libbenchmark-dev zlib1g-dev libhdf5-dev nlohmann-json3-dev
          pybind11-dev python3-dev python3-numpy openmpi-bin libopenmpi-dev)
heldout_fonts=0
for arg in "$@"; do
  case "$arg" in
    --test) packages+=(chromium python3 clang libclang-rt-14-dev libomp-14-dev
                       python3-onnx python3-opencv python3-numpy nodejs python3-pytest
                       python3-h5py python3-pil  # the Keras import's and seed preprocessing's oracles (tests/keras)
                       nginx wrk  # scripts/serve-cluster.sh: replicas of blnk serve behind nginx under load
                       pkgconf  # tests/library: examples/ built with pkg-config's flags against an installed tree
                       # fonts for the stress suite (tests/stress, scripts/make-stress-set.py)
                       fonts-dejavu-core fonts-liberation fonts-freefont-ttf fonts-urw-base35 fonts-noto-mono
                       fonts-comic-neue fonts-dkg-handwriting fonts-humor-sans
                       adwaita-icon-theme)  # make-heldout-set2.py's icons (tests/stress/heldout-generated.sh)
            heldout_fonts=1  # their fonts, unpacked only (below)
            # npm fetches ONNX Runtime for tests/onnx; a Node.js from elsewhere brings its own npm.
            command -v npm >/dev/null || packages+=(npm) ;;
    --heldout-fonts) heldout_fonts=1
                     packages+=(python3-numpy python3-pil python3-opencv adwaita-icon-theme) ;;  # make-heldout-set2.py
    --bench) packages+=(python3-torch libopenblas0-openmp libtcmalloc-minimal4 python3-numpy python3-pil
                        dataset-fashion-mnist fonts-noto-color-emoji) ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "setup.sh: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$heldout_fonts" == 1 ]; then
  bash scripts/fetch-heldout-fonts.sh --set 2 build/heldout-fonts
  bash scripts/fetch-heldout-fonts.sh --set 3 build/heldout3-fonts
  bash scripts/fetch-heldout-fonts.sh --set 4 build/heldout4-fonts
  bash scripts/fetch-heldout-fonts.sh --set 5 build/heldout5-fonts
  bash scripts/fetch-heldout-fonts.sh --set 6 build/heldout6-fonts
  bash scripts/fetch-heldout-fonts.sh --set 7 build/heldout7-fonts
  bash scripts/fetch-heldout-fonts.sh --set 8 build/heldout8-fonts
  bash scripts/fetch-heldout-fonts.sh --set 9 build/heldout9-fonts
  bash scripts/fetch-heldout-fonts.sh --set 10 build/heldout10-fonts
  bash scripts/fetch-heldout-fonts.sh --set 11 build/heldout11-fonts
  bash scripts/fetch-heldout-fonts.sh --set 12 build/heldout12-fonts
  bash scripts/fetch-heldout-fonts.sh --set 13 build/heldout13-fonts
  bash scripts/fetch-heldout-fonts.sh --set 14 build/heldout14-fonts
  bash scripts/fetch-heldout-fonts.sh --set 15 build/heldout15-fonts
  bash scripts/fetch-heldout-fonts.sh --set 16 build/heldout16-fonts
  bash scripts/fetch-heldout-fonts.sh --set 17 build/heldout17-fonts
fi

if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build -j"$(nproc)"
