#!/usr/bin/env bash
# Downloads the four MNIST files into DIR (default data/mnist) from a canonical
# mirror and checks their published MD5 sums. Not used by the tests.
#   scripts/download-mnist.sh [DIR]
set -euo pipefail
dir="${1:-data/mnist}"
mkdir -p "$dir"
mirrors=(
  "https://ossci-datasets.s3.amazonaws.com/mnist"
  "https://storage.googleapis.com/cvdf-datasets/mnist"
)
declare -A md5=(
  [train-images-idx3-ubyte.gz]=f68b3c2dcbeaaa9fbdd348bbdeb94873
  [train-labels-idx1-ubyte.gz]=d53e105ee54ea40749a09fcbcd1e9432
  [t10k-images-idx3-ubyte.gz]=9fb629c4189551a2d022fa330f9573f3
  [t10k-labels-idx1-ubyte.gz]=ec29112dd5afa0611ce80d1b7f02629c
)
for file in "${!md5[@]}"; do
  target="$dir/$file"
  if [ -f "$target" ] && [ "$(md5sum "$target" | cut -d' ' -f1)" = "${md5[$file]}" ]; then
    echo "$target: present, MD5 ok"
    continue
  fi
  ok=""
  for mirror in "${mirrors[@]}"; do
    if curl -fsSL --retry 2 -o "$target.part" "$mirror/$file"; then
      if [ "$(md5sum "$target.part" | cut -d' ' -f1)" = "${md5[$file]}" ]; then
        mv "$target.part" "$target"
        echo "$target: downloaded from $mirror, MD5 ok"
        ok=1
        break
      fi
      echo "$file from $mirror: MD5 mismatch, trying the next mirror" >&2
    fi
  done
  rm -f "$target.part"
  [ -n "$ok" ] || { echo "download-mnist.sh: could not get $file with the right MD5" >&2; exit 1; }
done
