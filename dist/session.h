// A training process's place among the ranks mpirun started: MPI set up and torn
// down, and the gradient exchange the trainer uses (train/exchange.h).
//
// Without mpirun (or with one rank) a Session is a single process and touches no
// MPI. A blnk built without MPI (BLNK_MPI=OFF, or no libopenmpi-dev) refuses to
// run as one of several ranks rather than train N copies side by side.
#pragma once

#include <memory>

#include "train/exchange.h"

namespace blnk::dist {

// A collective not finished after this many seconds means a rank died or hangs.
constexpr double kDefaultTimeoutSeconds = 60;

// Whether this blnk was built with MPI.
bool built_with_mpi();
// The rank count mpirun announces in the environment (OpenMPI, PMIx, MPICH); 1 when
// not started by mpirun.
int launched_ranks();

// The gradient gathers so far and their total wall time.
struct GatherTiming {
  long gathers = 0;
  double seconds = 0;
};

struct SessionOptions {
  double timeout_seconds = kDefaultTimeoutSeconds;
  // Test only: the gathered gradients are summed in reverse rank order (the trainer
  // then no longer matches one process; tests/dist proves the comparison sees it).
  bool reverse_ranks_for_test = false;
};

class Session {
 public:
  // Initialises MPI when started by mpirun with more than one rank; throws Error when
  // that is impossible (built without MPI, or MPI fails to start).
  explicit Session(const SessionOptions& options = {});
  // Finalises MPI. Left by an exception it does not (MPI_Finalize would wait for the
  // other ranks, which wait for this one): the process then ends every rank when it
  // exits (MPI_Abort from an atexit handler, exit code 1), after the caller has said
  // why (blnk's main prints the error and returns).
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  int rank() const;
  int ranks() const;
  bool is_root() const { return rank() == 0; }
  // For Trainer; null when this process is alone.
  train::GradientExchange* exchange();

  const GatherTiming& timing() const { return timing_; }

  // Ends every rank of the run at once (MPI_Abort) with this exit code: what a rank
  // does after an error, since the others would otherwise wait for it. The caller
  // prints the reason first. Without MPI: std::exit.
  [[noreturn]] void abort(int exit_code);

 private:
  int uncaught_at_start_;
  std::unique_ptr<train::GradientExchange> exchange_;  // null: one process, MPI untouched
  GatherTiming timing_;
};

}  // namespace blnk::dist
