// blnk train under mpirun (docs/distributed.md): the --mpi-timeout option, the MPI
// session, the threads of each rank, and what rank 0 alone does (it writes the
// checkpoints, the log, the plot and the model, and prints; the other ranks are quiet).
#pragma once

#include <cxxopts.hpp>

#include <memory>

#include "dist/session.h"

namespace blnk::cli {

void add_distributed_options(cxxopts::Options& options);

// The MPI session when mpirun started several ranks, else a single process.
std::unique_ptr<dist::Session> start_ranks(const cxxopts::ParseResult& args);

// The threads of the whole run (TrainConfig::threads): `per_rank` (--threads) times the
// ranks; without --threads (per_rank 0) each rank takes its share of this machine's cores.
int run_threads(const dist::Session& ranks, int per_rank);

// On rank 0 of several: the ranks, threads and the mean time of a gradient exchange.
void print_ranks_summary(const dist::Session& ranks, int run_threads);

}  // namespace blnk::cli
