#!/usr/bin/env bash
# Runs bench/pytorch_reference.py in the tuned configuration of issue 6, for this
# process only (the system's BLAS alternative is read, never changed):
#   - Debian's OpenMP OpenBLAS (libopenblas0-openmp) as libblas.so.3, put first on
#     LD_LIBRARY_PATH; bench/pytorch_reference.py --mode config shows what was loaded;
#   - OPENBLAS_CORETYPE=SkylakeX (its AVX-512 kernels);
#   - tcmalloc (libtcmalloc-minimal4) by LD_PRELOAD, so freed batch buffers are
#     reused instead of being returned to the kernel and faulted in again.
# With --stock, runs the Debian default the issue calls stock instead: the
# reference BLAS, glibc malloc.
#
#   bench/tuned_torch.sh --mode train --threads 2
#   bench/tuned_torch.sh --stock --mode batch
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python=/usr/bin/python3
libdir=/usr/lib/x86_64-linux-gnu
openblas_dir="$libdir/openblas-openmp"
reference_blas_dir="$libdir/blas"
tcmalloc="$libdir/libtcmalloc_minimal.so.4"

if [[ "${1:-}" == "--stock" ]]; then
  shift
  [[ -e "$reference_blas_dir/libblas.so.3" ]] || { echo "tuned_torch.sh: no reference BLAS in $reference_blas_dir" >&2; exit 1; }
  exec env -u LD_PRELOAD -u OPENBLAS_CORETYPE LD_LIBRARY_PATH="$reference_blas_dir" \
    "$python" "$here/pytorch_reference.py" "$@"
fi

for f in "$openblas_dir/libblas.so.3" "$tcmalloc"; do
  [[ -e "$f" ]] || { echo "tuned_torch.sh: $f is missing (apt-get install libopenblas0-openmp libtcmalloc-minimal4)" >&2; exit 1; }
done
exec env LD_LIBRARY_PATH="$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  LD_PRELOAD="$tcmalloc" OPENBLAS_CORETYPE=SkylakeX \
  "$python" "$here/pytorch_reference.py" "$@"
