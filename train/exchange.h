// How the trainer combines the gradients of a batch split over several processes
// (ranks): a small interface, so that train/ knows nothing of MPI. The MPI
// implementation is dist/mpi_exchange.h; one process needs none (the trainer's
// default is the trivial `SingleProcess`).
//
// The trainer splits every batch into `threads` slices (TrainConfig::threads, the
// threads of the whole run); rank r runs slices r*T .. r*T+T-1 (T = threads /
// ranks) and all-gathers the per-slice gradients, losses and correct counts, so
// that every rank sums all slices in global slice order: the same float additions
// in the same order as one process with `threads` threads (bit-identical).
#pragma once

#include <span>

namespace blnk::train {

class GradientExchange {
 public:
  virtual ~GradientExchange() = default;
  virtual int rank() const = 0;   // 0 .. ranks()-1; rank 0 writes the checkpoints
  virtual int ranks() const = 0;
  // `all` holds ranks() equal blocks, this rank's block (number rank()) filled in;
  // afterwards every block holds its rank's values. Throws Error when a rank does
  // not take part in time (it died or hangs): the run cannot go on.
  virtual void all_gather(std::span<float> all) = 0;
  virtual void all_gather(std::span<double> all) = 0;
};

// One process: rank 0 of 1; gathering is a no-op.
class SingleProcess final : public GradientExchange {
 public:
  int rank() const override { return 0; }
  int ranks() const override { return 1; }
  void all_gather(std::span<float>) override {}
  void all_gather(std::span<double>) override {}
};

}  // namespace blnk::train
