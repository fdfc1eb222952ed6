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
# Runs compared byte for byte write the same trained.date on either side of midnight.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600}
# More threads than this machine's cores: oversubscribe and do not pin a rank to one core.
mpirun_2=(mpirun -np 2 --oversubscribe --bind-to none)
# Each test's mpirun keeps its session directory in the test's own directory: mpiruns
# started at once under one TMPDIR race to create /tmp/ompi.<host>.<uid> and one of
# them fails ("mkdir ... File exists", orte_init failed) when ctest runs tests in parallel.
mpi_private_session() {  # DIR: the test's own temporary directory
  mkdir -p "$1/ompi"
  export OMPI_MCA_orte_tmpdir_base="$1/ompi"
}
