// blnk train under mpirun (see train_distributed.h).
#include "cli/train_distributed.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli/cli.h"
#include "cli/options.h"

namespace blnk::cli {

constexpr double kMaxTimeoutSeconds = 86400;

void add_distributed_options(cxxopts::Options& options) {
  options.add_options()("mpi-timeout",
                        "under mpirun: seconds a rank waits for the others at a gradient exchange before it ends "
                        "the run (a rank died or hangs), above 0, at most 86400",
                        text("60"));
}

std::unique_ptr<dist::Session> start_ranks(const cxxopts::ParseResult& args) {
  dist::SessionOptions options;
  options.timeout_seconds =
      number_option(args, "mpi-timeout", {0, kMaxTimeoutSeconds, true, false, "seconds above 0, at most 86400"});
  return std::make_unique<dist::Session>(options);
}

int run_threads(const dist::Session& ranks, int per_rank) {
  if (per_rank <= 0) {
    // The ranks mpirun put on this machine share its cores.
    const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
    const int here = ranks.ranks() > 1 && local ? std::max(1, std::atoi(local)) : 1;
    per_rank = std::max(1, default_threads() / here);
  }
  return per_rank * ranks.ranks();
}

void print_ranks_summary(const dist::Session& ranks, int run_threads) {
  if (ranks.ranks() < 2 || !ranks.is_root()) return;
  const dist::GatherTiming& t = ranks.timing();
  const int threads = run_threads / ranks.ranks();
  std::fprintf(stderr, "%d ranks, %d thread%s each; gradient exchange: %.2f ms per step (mean of %ld)\n",
               ranks.ranks(), threads, threads == 1 ? "" : "s", t.gathers ? 1e3 * t.seconds / double(t.gathers) : 0.0,
               t.gathers);
}

}  // namespace blnk::cli
