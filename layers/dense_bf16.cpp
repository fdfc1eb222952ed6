// Dense's products in bfloat16 (layers/bf16_gemm.h), for `blnk train --precision bf16`.
// Operands are rounded into pairs along each product's sum; the scratch holds two
// packed operands at a time, each region 64-byte aligned:
//   forward:  x16 (n, in/2), W16 (in/2, U)
//   dW:       xT16 (n/2, in), dzT16 (n/2, U): pairs of samples
//   dx:       W16 (in, U/2), dzT16 (U/2, n): dx^T = W dz^T, then transposed, as in float32
#include <algorithm>
#include <cstdint>

#include "layers/activation.h"
#include "layers/bf16_gemm.h"
#include "layers/dense.h"
#include "layers/eigen_maps.h"

namespace blnk {
namespace {

constexpr std::size_t kAlignPairs = 16;  // 64 bytes

std::size_t aligned_pairs(std::size_t pairs) { return (pairs + kAlignPairs - 1) / kAlignPairs * kAlignPairs; }

}  // namespace

std::size_t Dense::bf16_scratch_bytes(int n) const {
  const std::size_t in = in_.size(), U = units_, N = n;
  const std::size_t in_p = bf16_pairs(int(in)), U_p = bf16_pairs(units_), N_p = bf16_pairs(n);
  const std::size_t forward = aligned_pairs(N * in_p) + aligned_pairs(in_p * U);
  const std::size_t kernel_gradient = aligned_pairs(N_p * in) + aligned_pairs(N_p * U);
  const std::size_t input_gradient = aligned_pairs(in * U_p) + aligned_pairs(U_p * N);
  return sizeof(std::uint32_t) * std::max({forward, kernel_gradient, input_gradient});
}

void Dense::forward_bf16(const float* x, float* y, int n, const LayerContext& ctx) const {
  const int in = int(in_.size()), U = units_, in_p = bf16_pairs(in);
  std::uint32_t* x16 = reinterpret_cast<std::uint32_t*>(ctx.bf16_scratch);
  std::uint32_t* w16 = x16 + aligned_pairs(std::size_t(n) * in_p);
  bf16_pack(n, in, x, in, 1, x16, in_p, 1);
  bf16_pack(U, in, ctx.params, 1, U, w16, 1, U);
  bf16_gemm(n, U, in_p, {x16, in_p, 1}, w16, U, y, U, false);
}

void Dense::backward_bf16(const float* x, const float* dz, float* dx, int n, const LayerContext& ctx) const {
  const int in = int(in_.size()), U = units_, n_p = bf16_pairs(n), U_p = bf16_pairs(U);
  std::uint32_t* xt16 = reinterpret_cast<std::uint32_t*>(ctx.bf16_scratch);
  std::uint32_t* dzt16 = xt16 + aligned_pairs(std::size_t(n_p) * in);
  bf16_pack(in, n, x, 1, in, xt16, 1, in);
  bf16_pack(U, n, dz, 1, U, dzt16, 1, U);
  bf16_gemm(in, U, n_p, {xt16, 1, in}, dzt16, U, ctx.grads, U, true);
  add_column_sums(dz, n, U, ctx.grads + std::size_t(in) * U);
  if (!dx) return;
  std::uint32_t* w16 = reinterpret_cast<std::uint32_t*>(ctx.bf16_scratch);  // the regions above are done with
  std::uint32_t* dz16 = w16 + aligned_pairs(std::size_t(in) * U_p);
  bf16_pack(in, U, ctx.params, U, 1, w16, U_p, 1);
  bf16_pack(n, U, dz, U, 1, dz16, 1, n);
  float* dx_t = reinterpret_cast<float*>(ctx.cache);  // (in, n)
  bf16_gemm(in, n, U_p, {w16, U_p, 1}, dz16, n, dx_t, n, false);
  MatrixMap(dx, n, in).noalias() = ConstMatrixMap(dx_t, in, n).transpose();
}

}  // namespace blnk
