# Sourced by the tests under tests/dist: mpirun's settings for this machine, or exit 77
# (ctest: Skipped) when there is no mpirun.
if ! command -v mpirun >/dev/null; then
  echo "SKIPPED: no mpirun (apt-get install openmpi-bin)"
  exit 77
fi
# As root mpirun refuses to start without these; in containers the shared-memory
# transport's single-copy mechanism (CMA) fails.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
# More threads than this machine's cores: oversubscribe and do not pin a rank to one core.
mpirun_2=(mpirun -np 2 --oversubscribe --bind-to none)
