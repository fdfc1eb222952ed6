#!/usr/bin/env bash
# blnk train under mpirun with batch normalization and residual blocks, on MNIST
# (1,200 images): bn's statistics are per slice and the running statistics are
# summed with the gradients, so N ranks x T threads write the model file of one
# process with N*T threads, bit for bit; and 2 ranks resume a 1-process checkpoint
# to the model of the uninterrupted run.
#   identity_bn.sh BLNK HAVE_MPI MNIST_DIR
set -euo pipefail
blnk=$1
data=${BLNK_DATA_DIR:-$3}
if [[ $2 != 1 ]]; then echo "SKIPPED: blnk is built without MPI"; exit 77; fi
if ! ls "$data"/train-images-idx3-ubyte* >/dev/null 2>&1; then echo "SKIPPED: no MNIST in $data"; exit 77; fi
source "$(dirname "$0")/mpi_env.sh"
dir=$(mktemp -d)
mpi_private_session "$dir"
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

run=(train --data "$data" --limit 1200 --arch conv8:s=2,bn,res8,res16:s=2,avgpool,bn,gap,dense16,bn,drop0.25,dense10
     --batch-size 32 --seed 7 --quiet)

"$blnk" "${run[@]}" --threads 2 --epochs 2 --out "$dir/p1t2.blnk"
"${mpirun_2[@]}" "$blnk" "${run[@]}" --threads 1 --epochs 2 --out "$dir/r2t1.blnk"
cmp "$dir/p1t2.blnk" "$dir/r2t1.blnk" || fail "2 ranks x 1 thread differ from 1 process x 2 threads"
echo "ok: 2 ranks x 1 thread write the model file of 1 process x 2 threads"

"$blnk" "${run[@]}" --threads 4 --epochs 1 --out "$dir/p1t4.blnk"
"${mpirun_2[@]}" "$blnk" "${run[@]}" --threads 2 --epochs 1 --out "$dir/r2t2.blnk"
cmp "$dir/p1t4.blnk" "$dir/r2t2.blnk" || fail "2 ranks x 2 threads differ from 1 process x 4 threads"
echo "ok: 2 ranks x 2 threads write the model file of 1 process x 4 threads"

"$blnk" "${run[@]}" --threads 2 --epochs 1 --out "$dir/resumed.blnk"
"${mpirun_2[@]}" "$blnk" "${run[@]}" --threads 1 --epochs 2 --resume --out "$dir/resumed.blnk"
cmp "$dir/p1t2.blnk" "$dir/resumed.blnk" || fail "1 process -> 2 ranks (--resume) is not the uninterrupted model"
echo "ok: 2 ranks resume a 1-process checkpoint to the uninterrupted model"
