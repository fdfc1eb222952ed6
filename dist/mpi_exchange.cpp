// MPI all-gathers with a deadline (see mpi_exchange.h).
#include "dist/mpi_exchange.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <string>

#include "base/error.h"

namespace blnk::dist {
namespace {

using Clock = std::chrono::steady_clock;
// Poll without yielding this long (a gather of the seed's gradients takes ~1 ms),
// then yield the core between polls: with more ranks than cores the one we wait
// for may need it.
constexpr auto kSpinTime = std::chrono::milliseconds(2);

std::string mpi_error_text(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return std::string(text, std::size_t(std::max(length, 0)));
}

}  // namespace

MpiExchange::MpiExchange(double timeout_seconds, bool reverse_ranks_for_test, GatherTiming& timing)
    : timeout_seconds_(timeout_seconds), reverse_ranks_for_test_(reverse_ranks_for_test), timing_(timing) {
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks_);
}

void MpiExchange::all_gather(std::span<float> all) {
  const auto start = Clock::now();
  gather(all.data(), all.size(), MPI_FLOAT, "gradients");
  if (reverse_ranks_for_test_) {
    const std::size_t block = all.size() / std::size_t(ranks_);
    for (int r = 0; r < ranks_ / 2; ++r)
      std::swap_ranges(all.begin() + std::ptrdiff_t(r * block), all.begin() + std::ptrdiff_t((r + 1) * block),
                       all.begin() + std::ptrdiff_t((ranks_ - 1 - r) * block));
  }
  ++timing_.gathers;
  timing_.seconds += std::chrono::duration<double>(Clock::now() - start).count();
}

void MpiExchange::all_gather(std::span<double> all) { gather(all.data(), all.size(), MPI_DOUBLE, "losses"); }

void MpiExchange::gather(void* all, std::size_t count, MPI_Datatype type, const char* what) {
  if (count % std::size_t(ranks_) != 0 || count / std::size_t(ranks_) > std::size_t(INT_MAX))
    throw Error("MPI: cannot gather " + std::to_string(count) + " values in " + std::to_string(ranks_) +
                " equal blocks");
  const int block = int(count / std::size_t(ranks_));
  MPI_Request request;
  const int code = MPI_Iallgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, all, block, type, MPI_COMM_WORLD, &request);
  if (code != MPI_SUCCESS) throw Error("MPI: rank " + std::to_string(rank_) + " cannot send its " + what + ": " + mpi_error_text(code));
  wait(request, what);
}

void MpiExchange::wait(MPI_Request& request, const char* what) {
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_seconds_));
  for (;;) {
    int done = 0;
    const int code = MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (code != MPI_SUCCESS)
      throw Error("MPI: rank " + std::to_string(rank_) + " lost the exchange of " + what + ": " + mpi_error_text(code));
    if (done) return;
    const auto now = Clock::now();
    if (now > deadline) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%g", timeout_seconds_);
      throw Error("MPI: rank " + std::to_string(rank_) + " waited " + seconds + " s for the other ranks' " + what +
                  " (--mpi-timeout): a rank died or hangs; stopping every rank");
    }
    if (now - start > kSpinTime) sched_yield();
  }
}

}  // namespace blnk::dist
