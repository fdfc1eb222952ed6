// The gradient exchange over MPI (train/exchange.h): all-gathers on MPI_COMM_WORLD
// as non-blocking collectives polled against a deadline, so that a rank that died
// or hangs ends the run with a clear error instead of a hang.
#pragma once

#include <mpi.h>

#include <span>

#include "dist/session.h"
#include "train/exchange.h"

namespace blnk::dist {

class MpiExchange final : public train::GradientExchange {
 public:
  // MPI is initialised. Errors on MPI_COMM_WORLD are made to return (and are thrown
  // as Error) rather than abort inside MPI.
  // `timing` adds up the float gathers (the gradients).
  MpiExchange(double timeout_seconds, bool reverse_ranks_for_test, GatherTiming& timing);

  int rank() const override { return rank_; }
  int ranks() const override { return ranks_; }
  void all_gather(std::span<float> all) override;
  void all_gather(std::span<double> all) override;

 private:
  // Starts MPI_Iallgather in place over `all` (ranks_ blocks of `type`) and polls it.
  void gather(void* all, std::size_t count, MPI_Datatype type, const char* what);
  // Polls `request` until done; throws Error past the deadline or on an MPI error.
  void wait(MPI_Request& request, const char* what);

  int rank_ = 0, ranks_ = 1;
  double timeout_seconds_;
  bool reverse_ranks_for_test_;
  GatherTiming& timing_;
};

}  // namespace blnk::dist
