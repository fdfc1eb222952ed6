// The element-wise products of the Winograd convolution (winograd.h) in bfloat16, for
// `blnk train --precision bf16`: the transforms stay float32; the transformed kernel
// (once per call) and each chunk's transformed input and output gradient are rounded to
// bfloat16 pairs (layers/bf16_gemm.h) in the layout each product reads, and the E
// products sum in float32 as float32's do. Scratch (bf16_scratch_bytes), in 32-bit
// pairs, each region 64-byte aligned:
//   forward:   U16 (E, C/2, F), pairs along c, packed at the first chunk and kept;
//              V16 (rows, E, C/2)
//   backward:  UT16 (E, F/2, C), packed at the first chunk and kept; VT16 (rows/2, E, C)
//              and dMT16 (rows/2, E, F), pairs along the tiles (the kernel gradient sums
//              over them), each packed in one pass that reads the tiles in order; then
//              dM16 (rows, E, F/2) in their place for the input gradient.
#include <algorithm>
#include <cstdint>

#include "layers/bf16_gemm.h"
#include "layers/winograd.h"

namespace blnk {
namespace {

constexpr std::size_t kAlignPairs = 16;  // 64 bytes

std::size_t aligned_pairs(std::size_t pairs) { return (pairs + kAlignPairs - 1) / kAlignPairs * kAlignPairs; }

std::uint32_t* pairs_at(std::byte* scratch) { return reinterpret_cast<std::uint32_t*>(scratch); }

}  // namespace

std::size_t Winograd3x3::bf16_scratch_bytes(int n) const {
  const std::size_t C = in_.c, F = out_.c, E = elements(), rows = std::size_t(chunk_samples(n)) * tiles();
  const std::size_t Cp = bf16_pairs(in_.c), Fp = bf16_pairs(out_.c), Rp = bf16_pairs(int(rows));
  const std::size_t forward = aligned_pairs(E * Cp * F) + aligned_pairs(rows * E * Cp);
  const std::size_t kernel_gradient = aligned_pairs(Rp * E * C) + aligned_pairs(Rp * E * F);
  const std::size_t input_gradient = aligned_pairs(rows * E * Fp);
  const std::size_t backward = aligned_pairs(E * Fp * C) + std::max(kernel_gradient, input_gradient);
  return sizeof(std::uint32_t) * std::max(forward, backward);
}

void Winograd3x3::bf16_forward_products(int rows, const float* v, const float* u, float* m, std::byte* scratch,
                                        bool first_chunk) const {
  const int C = in_.c, F = out_.c, E = elements(), Cp = bf16_pairs(C);
  const std::size_t CF = std::size_t(C) * F;
  std::uint32_t* u16 = pairs_at(scratch);
  std::uint32_t* v16 = u16 + aligned_pairs(std::size_t(E) * Cp * F);
  if (first_chunk)
    for (int e = 0; e < E; ++e) bf16_pack(F, C, u + e * CF, 1, F, u16 + std::size_t(e) * Cp * F, 1, F);
  bf16_pack(rows * E, C, v, C, 1, v16, Cp, 1);
  for (int e = 0; e < E; ++e)  // M[e] = V[e] U[e]
    bf16_gemm(rows, F, Cp, {v16 + e * Cp, std::ptrdiff_t(E) * Cp, 1}, u16 + std::size_t(e) * Cp * F, F, m + e * F,
              std::ptrdiff_t(E) * F, false);
}

void Winograd3x3::bf16_backward_products(int rows, const float* v, const float* dm, const float* ut, float* du,
                                         bool first_chunk, float* dv, std::byte* scratch) const {
  const int C = in_.c, F = out_.c, E = elements(), Fp = bf16_pairs(F), Rp = bf16_pairs(rows);
  const std::size_t CF = std::size_t(C) * F;
  const std::ptrdiff_t EC = std::ptrdiff_t(E) * C, EF = std::ptrdiff_t(E) * F;
  std::uint32_t* ut16 = pairs_at(scratch);
  std::uint32_t* chunk = ut16 + aligned_pairs(std::size_t(E) * Fp * C);
  if (first_chunk && dv)
    for (int e = 0; e < E; ++e) bf16_pack(C, F, ut + e * CF, 1, C, ut16 + std::size_t(e) * Fp * C, 1, C);
  std::uint32_t* vt16 = chunk;
  std::uint32_t* dmt16 = vt16 + aligned_pairs(std::size_t(Rp) * EC);
  bf16_pack(int(EC), rows, v, 1, EC, vt16, 1, EC);
  bf16_pack(int(EF), rows, dm, 1, EF, dmt16, 1, EF);
  for (int e = 0; e < E; ++e)  // dU[e] (+)= V[e]^T dM[e] over pairs of tiles; the first chunk assigns
    bf16_gemm(C, F, Rp, {vt16 + e * C, 1, EC}, dmt16 + e * F, EF, du + e * CF, F, !first_chunk);
  if (!dv) return;
  std::uint32_t* dm16 = chunk;  // VT16 and dMT16 are done with
  bf16_pack(rows * E, F, dm, F, 1, dm16, Fp, 1);
  for (int e = 0; e < E; ++e)  // dV[e] = dM[e] U[e]^T
    bf16_gemm(rows, C, Fp, {dm16 + e * Fp, std::ptrdiff_t(E) * Fp, 1}, ut16 + std::size_t(e) * Fp * C, C,
              dv + e * C, std::ptrdiff_t(E) * C, false);
}

}  // namespace blnk
