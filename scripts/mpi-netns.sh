#!/usr/bin/env bash
# Two "machines" on one host: two network namespaces joined by a veth pair, and
# blnk's ranks talking TCP between them (docs/distributed.md). Measures the time
# of one gradient exchange over that link and, given MNIST, a short training run.
# Root only; it creates only the two namespaces and the veth pair (addresses
# 10.77.0.1/24 and 10.77.0.2/24, inside the namespaces) and removes them on exit.
#
#   scripts/mpi-netns.sh [--blnk build/blnk] [--driver build/tests/dist/dist_train_driver]
#                        [--data DIR] [--limit N] [--steps N]
#
# mpirun needs a way to start a daemon on the other "host": normally ssh. Here the
# rsh agent is a small script (written to a temporary folder) that runs the command
# mpirun gives it inside the namespace that owns the address: `ip netns exec NS sh -c CMD`.
set -euo pipefail
cd "$(dirname "$0")/.."

blnk=build/blnk
driver=build/tests/dist/dist_train_driver
data=${BLNK_DATA_DIR:-../shared/data/mnist}
limit=6400
steps=100
while [[ $# -gt 0 ]]; do
  case $1 in
    --blnk) blnk=$2; shift 2 ;;
    --driver) driver=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "mpi-netns.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $(id -u) == 0 ]] || { echo "mpi-netns.sh: needs root (ip netns)" >&2; exit 1; }
command -v mpirun >/dev/null || { echo "mpi-netns.sh: no mpirun (apt-get install openmpi-bin)" >&2; exit 1; }
blnk=$(realpath -m "$blnk")
driver=$(realpath "$driver")

ns_a=blnk-mpi-a ns_b=blnk-mpi-b
addr_a=10.77.0.1 addr_b=10.77.0.2
link=blnkmpi0  # each end's name inside its namespace
tmp=$(mktemp -d)
cleanup() {
  ip netns del "$ns_a" 2>/dev/null || true  # deleting a namespace deletes its end of the pair, and so the pair
  ip netns del "$ns_b" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
for ns in "$ns_a" "$ns_b"; do
  if ip netns list | grep -qw "$ns"; then echo "mpi-netns.sh: namespace $ns exists (another run?)" >&2; trap - EXIT; rm -rf "$tmp"; exit 1; fi
done

ip netns add "$ns_a"
ip netns add "$ns_b"
ip link add blnkmpi-a type veth peer name blnkmpi-b
ip link set blnkmpi-a netns "$ns_a"
ip link set blnkmpi-b netns "$ns_b"
ip -n "$ns_a" link set blnkmpi-a name "$link"
ip -n "$ns_b" link set blnkmpi-b name "$link"
ip -n "$ns_a" addr add "$addr_a/24" dev "$link"
ip -n "$ns_b" addr add "$addr_b/24" dev "$link"
for ns in "$ns_a" "$ns_b"; do
  ip -n "$ns" link set lo up
  ip -n "$ns" link set "$link" up
done

# The "ssh" mpirun uses to start its daemon on a host: the command runs in that host's namespace.
cat >"$tmp/agent.sh" <<AGENT
#!/bin/sh
# mpirun calls: agent.sh HOST COMMAND...
host=\$1; shift
case \$host in
  $addr_a) ns=$ns_a ;;
  $addr_b) ns=$ns_b ;;
  *) echo "agent.sh: unknown host \$host" >&2; exit 1 ;;
esac
exec ip netns exec "\$ns" /bin/sh -c "\$*"
AGENT
chmod +x "$tmp/agent.sh"
printf '%s slots=1\n%s slots=1\n' "$addr_a" "$addr_b" >"$tmp/hosts"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# TCP only (shared memory would join two processes on one host whatever their namespaces),
# over the veth; the daemons' own channel too.
mpi=(ip netns exec "$ns_a" mpirun -np 2 --hostfile "$tmp/hosts" --mca plm_rsh_agent "$tmp/agent.sh"
     --mca btl tcp,self --mca btl_tcp_if_include "$link" --mca oob_tcp_if_include "$link" --bind-to none)

echo "== where the ranks run (the address of $link in each rank's namespace)"
"${mpi[@]}" sh -c 'echo "rank $OMPI_COMM_WORLD_RANK: $(ip -br -4 addr show '"$link"')"' | sort
echo "== the gradient exchange over TCP (veth between namespaces): 130,890 floats per rank"
"${mpi[@]}" "$driver" --time-exchange --floats 130890 --steps "$steps"
if ls "$data"/train-images-idx3-ubyte* >/dev/null 2>&1; then
  echo "== blnk train, 2 ranks x 1 thread over TCP: --limit $limit --epochs 1"
  "${mpi[@]}" "$blnk" train --data "$data" --limit "$limit" --epochs 1 --threads 1 --out "$tmp/m.blnk" 2>&1 |
    tr '\r' '\n' | grep -E "^epoch 1:|ranks," | tail -2
else
  echo "(no MNIST in $data: the training run is left out)"
fi
