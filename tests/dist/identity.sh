#!/usr/bin/env bash
# 2 ranks x T threads give bit for bit the parameters and epoch figures of one
# process with 2T threads (T = 1 and 2), and summing the gathered gradients in
# another order (the driver's test-only --reverse-order) gives other parameters:
# so the comparison can see the order. (With 2 slices in all, a + b = b + a exactly,
# so only T = 2, 4 slices, can show the order; T = 1 checks the slicing and the
# dropout keys.)
#   identity.sh DRIVER HAVE_MPI
set -euo pipefail
driver=$1
if [[ $2 != 1 ]]; then
  echo "SKIPPED: blnk is built without MPI"
  exit 77
fi
source "$(dirname "$0")/mpi_env.sh"
dir=$(mktemp -d)
mpi_private_session "$dir"
trap 'rm -rf "$dir"' EXIT

same() {  # same A B WHAT
  if ! cmp -s "$1" "$2" || ! cmp -s "$1.history" "$2.history"; then
    echo "FAIL: $3 differ"; diff "$1.history" "$2.history" || true; exit 1
  fi
  echo "ok: $3 are bit-identical"
}

"$driver" --threads 2 --out "$dir/p1t2"
"${mpirun_2[@]}" "$driver" --threads 1 --out "$dir/r2t1"
same "$dir/p1t2" "$dir/r2t1" "1 process x 2 threads and 2 ranks x 1 thread"

"$driver" --threads 4 --out "$dir/p1t4"
"${mpirun_2[@]}" "$driver" --threads 2 --out "$dir/r2t2"
same "$dir/p1t4" "$dir/r2t2" "1 process x 4 threads and 2 ranks x 2 threads"

"${mpirun_2[@]}" "$driver" --threads 2 --reverse-order --out "$dir/reversed"
if cmp -s "$dir/p1t4" "$dir/reversed"; then
  echo "FAIL: the gradients summed in reverse rank order gave the same parameters: the test cannot see the order"
  exit 1
fi
echo "ok: summed in another order, the parameters differ"
