// Winograd convolution (Lavin and Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016) for 3x3 stride-1 layers over NHWC batches, F(2x2, 3x3) or
// F(4x4, 3x3). Each m x m block of outputs (a tile, m = 2 or 4) comes from the
// (m+2) x (m+2) block of input around it; both are carried into a transformed domain
// of (m+2)^2 elements where the convolution is one element-wise product per (input
// channel, filter) pair: 16 multiplications for 4 outputs (F(2x2)) or 36 for 16
// (F(4x4)), instead of 9 per output. Summed over input channels, that is (m+2)^2
// small matrix products per group of tiles (layers/small_gemm.h). The input and
// kernel gradients are computed in the same domain by the transposed transforms, so
// training saves as much as inference.
//
// Conv2D uses it for its 3x3 stride-1 layers with more than one input channel.
// conv2d_forward_reference and the gradient checks are the oracle.
#pragma once

#include <cstddef>

#include "base/shape.h"
#include "layers/batchnorm_gradient.h"

namespace blnk {

class Winograd3x3 {
 public:
  Winograd3x3() = default;
  // pad_top/pad_left: the input rows/columns before the first output's window (1 for
  // `same`, 0 for `valid`). tile: 2 or 4 (the m of F(m x m, 3x3)), or 0 for the one
  // with fewer multiplications for this output size.
  Winograd3x3(Shape in, Shape out, int pad_top, int pad_left, int tile = 0);

  int tile() const { return m_; }

  // The transformed kernel, as the forward pass (E x C x F) and the input gradient
  // (E x F x C) read it, E = (m+2)^2, and a row of zeros for taps outside the image.
  std::size_t prepared_floats() const;
  void prepare(const float* kernel, float* prepared) const;

  // Scratch for one chunk of samples: its transformed input, products and gradients.
  // Backward transforms the chunk's input again for the kernel gradient rather than
  // keeping the batch's from forward: a pass within L2 instead of a buffer 2.25x the
  // input (F(4x4)) written to memory and read back.
  std::size_t cache_floats(int n) const;

  // Scratch of the products in bfloat16 for n samples (layers/winograd_bf16.cpp).
  std::size_t bf16_scratch_bytes(int n) const;

  // y = conv(x) + bias, then ReLU if relu. bf16: null, or bf16_scratch_bytes(n) bytes
  // of scratch to run the element-wise products in bfloat16 (backward likewise).
  void forward(const float* x, float* y, int n, const float* prepared, const float* bias,
               bool relu, float* cache, std::byte* bf16 = nullptr) const;
  // x, y, dy: forward's input and output and the gradient there. ADDS the kernel and
  // bias gradients to dkernel and dbias; ASSIGNS dx unless it is null (ADDS to it when
  // add_dx).
  // With bn (not null), a BatchNorm follows: dy is the gradient at the bn's output and
  // the gradient at y is bn->at(dy, ...), taken as the tiles are read (relu is false).
  void backward(const float* x, const float* y, const float* dy, float* dx, int n, const float* prepared,
                bool relu, float* dkernel, float* dbias, float* cache, bool add_dx = false,
                std::byte* bf16 = nullptr, const BatchNormGradient* bn = nullptr) const;

 private:
  struct Regions;  // where each scratch buffer starts in the cache
  Regions regions(float* cache, int n) const;
  int tiles() const { return tiles_y_ * tiles_x_; }
  int elements() const { return (m_ + 2) * (m_ + 2); }
  int chunk_samples(int n) const { return n < chunk_ ? n : chunk_; }

  template <int M, typename T>
  void tile_inputs(T* image, int ty, int tx, T* outside, T** p) const;
  template <int M, typename T>
  void tile_outputs(T* image, int ty, int tx, T* outside, T** q, int step = 1) const;
  template <int M>
  void prepare_tiles(const float* kernel, float* prepared) const;
  template <int M>
  void transform_input(const float* x, int samples, const float* zeros, float* v) const;
  template <int M>
  void transform_output(const float* m, int samples, const float* bias, bool relu, float* y,
                        float* sink) const;
  template <int M, typename TileGradient>
  void output_gradient_tiles(int samples, std::size_t first, float* dbias, float* dm, TileGradient tile) const;
  template <int M>
  void output_gradient(const float* y, const float* dy, std::size_t first, int samples, bool relu,
                       const float* zeros, float* dbias, float* dm) const;
  template <int M, bool Relu>
  void output_gradient_through_bn(const BatchNormGradient& bn, const float* dy, std::size_t first, int samples,
                                  const float* zeros, float* dbias, float* dm) const;
  template <int M>
  void input_gradient(const float* dv, int samples, float* dx, float* sink, bool add) const;
  template <int M>
  void kernel_gradient(const float* du, float* dkernel) const;
  // The E products of a chunk of `rows` tiles in bfloat16 (winograd_bf16.cpp): forward's
  // M = V U, and backward's dU = V^T dM (added to from the second chunk on) and, unless
  // dv is null, dV = dM UT. The first chunk of a call packs the kernel for the rest.
  void bf16_forward_products(int rows, const float* v, const float* u, float* m, std::byte* scratch,
                             bool first_chunk) const;
  void bf16_backward_products(int rows, const float* v, const float* dm, const float* ut, float* du,
                              bool first_chunk, float* dv, std::byte* scratch) const;

  Shape in_{}, out_{};
  int pad_top_ = 0, pad_left_ = 0;
  int m_ = 2;
  int tiles_y_ = 0, tiles_x_ = 0;
  int chunk_ = 1;  // samples per chunk: about kChunkTiles tiles, so a chunk's scratch stays in L2
};

}  // namespace blnk
