// MPI set up and torn down for a training run (see session.h).
#include "dist/session.h"

#include <cstdlib>
#include <exception>
#include <string>

#include "base/error.h"

#ifdef BLNK_HAVE_MPI
#include <mpi.h>

#include "dist/mpi_exchange.h"
#endif

namespace blnk::dist {

bool built_with_mpi() {
#ifdef BLNK_HAVE_MPI
  return true;
#else
  return false;
#endif
}

int launched_ranks() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"})
    if (const char* value = std::getenv(name)) {
      const int n = std::atoi(value);
      if (n >= 1) return n;
    }
  return 1;
}

#ifdef BLNK_HAVE_MPI
namespace {

bool g_left_by_exception = false;

void abort_if_left_by_exception() {
  if (g_left_by_exception) MPI_Abort(MPI_COMM_WORLD, 1);
}

}  // namespace
#endif

Session::Session(const SessionOptions& options) : uncaught_at_start_(std::uncaught_exceptions()) {
  if (launched_ranks() <= 1) return;
#ifdef BLNK_HAVE_MPI
  if (!(options.timeout_seconds > 0)) throw Error("MPI: the collective timeout must be positive");
  // Only the main thread calls MPI, outside the OpenMP regions.
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    throw Error("MPI: MPI_Init_thread failed");
  exchange_ = std::make_unique<MpiExchange>(options.timeout_seconds, options.reverse_ranks_for_test, timing_);
  std::atexit(abort_if_left_by_exception);
#else
  throw Error("this blnk was built without MPI (cmake -DBLNK_MPI=ON with libopenmpi-dev installed), but mpirun "
              "started " + std::to_string(launched_ranks()) + " ranks: each would train alone");
#endif
}

Session::~Session() {
#ifdef BLNK_HAVE_MPI
  if (!exchange_) return;
  if (std::uncaught_exceptions() > uncaught_at_start_)
    g_left_by_exception = true;
  else
    MPI_Finalize();
#endif
}

int Session::rank() const { return exchange_ ? exchange_->rank() : 0; }
int Session::ranks() const { return exchange_ ? exchange_->ranks() : 1; }
train::GradientExchange* Session::exchange() { return exchange_.get(); }

void Session::abort(int exit_code) {
#ifdef BLNK_HAVE_MPI
  if (exchange_) MPI_Abort(MPI_COMM_WORLD, exit_code);
#endif
  std::exit(exit_code);
}

}  // namespace blnk::dist
