#!/usr/bin/env bash
# blnk train under mpirun, end to end on MNIST (a small model, 2000 images):
#  1. 2 ranks x 1 thread write the same model file as 1 process x 2 threads;
#  2. 2 ranks resume a 1-process checkpoint; kill -9 of rank 1 mid-run stops the
#     run (no hang, no model written); the checkpoint left loads, and one process
#     resumes it one epoch further to the model an uninterrupted run of that
#     length writes, bit for bit, wherever the kill landed;
#  3. a rank that hangs (SIGSTOP) makes the other stop after --mpi-timeout with a
#     message naming the timeout.
#   kill_rank.sh BLNK HAVE_MPI MNIST_DIR
set -euo pipefail
blnk=$1
data=${BLNK_DATA_DIR:-$3}
if [[ $2 != 1 ]]; then echo "SKIPPED: blnk is built without MPI"; exit 77; fi
if ! ls "$data"/train-images-idx3-ubyte* >/dev/null 2>&1; then echo "SKIPPED: no MNIST in $data"; exit 77; fi
source "$(dirname "$0")/mpi_env.sh"
dir=$(mktemp -d)
mpi_private_session "$dir"
started=()  # mpirun processes (and a stopped rank) this test started
cleanup() {
  for p in "${started[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

run=(train --data "$data" --limit 2000 --arch conv8,pool,drop0.25,flatten,dense10 --batch-size 32 --seed 7 --quiet)

# Runs a command that must succeed; on failure prints its stderr and the command.
must() {
  local status=0
  "$@" 2>"$dir/cmd.err" || status=$?
  [[ $status == 0 ]] || { cat "$dir/cmd.err"; fail "exit $status from: $*"; }
}
# The pid of rank $2 among the children of mpirun $1, looked for during up to 10 s (a
# loaded machine); else the test fails showing mpirun's children and the run's stderr $3.
rank_pid() {
  local p
  for _ in $(seq 100); do
    for p in $(pgrep -P "$1"); do
      if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$2"; then echo "$p"; return; fi
    done
    sleep 0.1
  done
  echo "mpirun $1's children:" >&2
  ps -o pid,stat,etime,args --ppid "$1" >&2 || true
  cat "$3" >&2
  return 1
}
# Waits until file $1 is newer than $2 (up to 120 s: a loaded machine starts mpirun slowly).
wait_newer() {
  for _ in $(seq 1200); do [[ $1 -nt $2 ]] && return; sleep 0.1; done
  fail "$1 was not written"
}
# Waits for mpirun $1 to end, at most $2 seconds; sets status to its exit status.
wait_end() {
  for _ in $(seq $(($2 * 10))); do
    if ! kill -0 "$1" 2>/dev/null; then
      status=0
      wait "$1" || status=$?
      return
    fi
    sleep 0.1
  done
  fail "mpirun still runs $2 s after a rank died: a hang"
}
# The epochs a checkpoint has trained, from blnk summary's "checkpoint: N of M epochs trained".
epochs_done() {
  local n
  n=$("$blnk" summary "$1" 2>"$dir/cmd.err" | sed -n 's/^checkpoint: \([0-9]*\) of .*/\1/p')
  [[ $n =~ ^[0-9]+$ ]] || { cat "$dir/cmd.err"; fail "blnk summary $1 shows no checkpoint line"; }
  echo "$n"
}

echo "1. 2 ranks x 1 thread against 1 process x 2 threads"
must "$blnk" "${run[@]}" --threads 2 --epochs 3 --out "$dir/ref.blnk"
must "${mpirun_2[@]}" "$blnk" "${run[@]}" --threads 1 --epochs 3 --out "$dir/ranks.blnk"
cmp "$dir/ref.blnk" "$dir/ranks.blnk" || fail "the 2-rank model differs from the threaded one"
echo "ok: the same model file"

# The kill lands wherever the ranks are when it comes (any epoch after the first,
# any batch): the test reads the epochs the checkpoint left holds and compares
# the resumed model with an uninterrupted run of one epoch more.
echo "2. kill -9 of rank 1 while 2 ranks continue a 1-process checkpoint"
must "$blnk" "${run[@]}" --threads 2 --epochs 1 --out "$dir/m.blnk"
touch -d '-1 second' "$dir/m.blnk.ckpt"
cp "$dir/m.blnk.ckpt" "$dir/epoch1"
rm "$dir/m.blnk"
# Far more epochs than can pass before the kill: the run cannot end on its own first.
"${mpirun_2[@]}" "$blnk" "${run[@]}" --resume --epochs 100000 --out "$dir/m.blnk" 2>"$dir/kill.err" &
mpirun_pid=$!
started+=("$mpirun_pid")
wait_newer "$dir/m.blnk.ckpt" "$dir/epoch1"  # epoch 2 done: the ranks are in epoch 3 or later
victim=$(rank_pid "$mpirun_pid" 1 "$dir/kill.err") || fail "no rank 1 under mpirun"
kill -9 "$victim"
killed_at=$SECONDS
wait_end "$mpirun_pid" 60
echo "mpirun ended $((SECONDS - killed_at)) s after the kill, exit status $status"
[[ $status != 0 ]] || fail "mpirun exited 0 after a rank was killed"
[[ ! -e $dir/m.blnk ]] || fail "a model was written by a run that lost a rank"
done=$(epochs_done "$dir/m.blnk.ckpt")  # blnk summary loads the network and the training position
(( done >= 2 )) || fail "the checkpoint left holds $done epochs; the kill came after epoch 2"
target=$((done + 1))
echo "the checkpoint left holds $done epochs; resuming to $target"
must "$blnk" "${run[@]}" --resume --epochs "$target" --threads 2 --out "$dir/m.blnk"
must "$blnk" "${run[@]}" --threads 2 --epochs "$target" --out "$dir/ref$target.blnk"
cmp "$dir/ref$target.blnk" "$dir/m.blnk" ||
  fail "1 process -> 2 ranks (killed) -> 1 process is not the uninterrupted $target-epoch model"
echo "ok: the checkpoint loads; resumed, it ends on the uninterrupted run's model"

echo "3. a hung rank (SIGSTOP): the others stop after --mpi-timeout 3"
touch -d '-1 second' "$dir/h.start"
"${mpirun_2[@]}" "$blnk" "${run[@]}" --threads 1 --epochs 100000 --mpi-timeout 3 --out "$dir/h.blnk" 2>"$dir/hang.err" &
mpirun_pid=$!
started+=("$mpirun_pid")
wait_newer "$dir/h.blnk.ckpt" "$dir/h.start"
victim=$(rank_pid "$mpirun_pid" 1 "$dir/hang.err") || fail "no rank 1 under mpirun"
started+=("$victim")  # a stopped rank outlives a failed test otherwise
kill -STOP "$victim"
stopped_at=$SECONDS
wait_end "$mpirun_pid" 60
echo "mpirun ended $((SECONDS - stopped_at)) s after rank 1 stopped, exit status $status"
kill -9 "$victim" 2>/dev/null || true
grep -q "waited 3 s" "$dir/hang.err" || { cat "$dir/hang.err"; fail "no message naming the timeout"; }
grep "waited 3 s" "$dir/hang.err" | head -1
[[ $status != 0 ]] || fail "mpirun exited 0 after a rank hung"
echo "ok"
