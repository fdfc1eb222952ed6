// Winograd F(m x m, 3x3), m = 2 or 4: the transforms (B, G and A of Lavin and Gray,
// as 1-D maps applied to columns, then rows) and the chunked driver. Every loop over
// channels or filters is innermost, over the contiguous NHWC vectors, so the compiler
// vectorises it; the E = (m+2)^2 products per chunk go to small_gemm. Layouts,
// tile-major so a tile's E transformed vectors are adjacent:
//   transformed input V[tile][e][c], products M[tile][e][f], kernel U[e][c][f]
//   (and its transpose UT[e][f][c]); e = (m+2) * row + column of the transformed tile.
#include "layers/winograd.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include "base/error.h"
#include "layers/small_gemm.h"

// The vector loops below write through pointers the compiler cannot prove apart from
// the ones they read (they never overlap): let it vectorise without runtime checks.
#if defined(__clang__)
#define BLNK_IVDEP _Pragma("clang loop vectorize(assume_safety)")
#else
#define BLNK_IVDEP _Pragma("GCC ivdep")
#endif

namespace blnk {
namespace {

// Tiles x elements per chunk: a chunk's products (and, in backward, its gradients)
// stay within L2 (4096 x 32 filters x 4 bytes = 512 KB for the 32-channel layers of a
// residual network, two of its 28x28 samples a chunk; at 2048, one sample's 49 tiles
// left the products a last row alone: a training step 2.4% slower). The chunk does not
// change a result: each sum runs over the tiles in the same order.
constexpr int kChunkElements = 4096;
constexpr std::size_t kAlign = 16;  // floats: every region starts on a 64-byte boundary

std::size_t aligned(std::size_t floats) { return (floats + kAlign - 1) / kAlign * kAlign; }

// The 1-D maps of F(m, 3) and their transposes (for the gradients).
//   input:  t = B^T d    (A -> A)      input_t:  d = B t     (A -> A)
//   kernel: u = G g      (3 -> A)      kernel_t: g = G^T u   (A -> 3)
//   output: y = A^T m    (A -> m)      output_t: m = A y     (m -> A)
template <int M>
struct Tile;

template <>
struct Tile<2> {  // interpolation points 0, 1, -1 (and infinity)
  static constexpr int A = 4;
  static void input(const float* d, float* t) {
    t[0] = d[0] - d[2];
    t[1] = d[1] + d[2];
    t[2] = d[2] - d[1];
    t[3] = d[1] - d[3];
  }
  static void input_t(const float* t, float* d) {
    d[0] = t[0];
    d[1] = t[1] - t[2] + t[3];
    d[2] = t[1] + t[2] - t[0];
    d[3] = -t[3];
  }
  static void kernel(const float* g, float* u) {
    u[0] = g[0];
    u[1] = 0.5f * (g[0] + g[1] + g[2]);
    u[2] = 0.5f * (g[0] - g[1] + g[2]);
    u[3] = g[2];
  }
  static void kernel_t(const float* u, float* g) {
    g[0] = u[0] + 0.5f * (u[1] + u[2]);
    g[1] = 0.5f * (u[1] - u[2]);
    g[2] = 0.5f * (u[1] + u[2]) + u[3];
  }
  static void output(const float* m, float* y) {
    y[0] = m[0] + m[1] + m[2];
    y[1] = m[1] - m[2] - m[3];
  }
  static void output_t(const float* y, float* m) {
    m[0] = y[0];
    m[1] = y[0] + y[1];
    m[2] = y[0] - y[1];
    m[3] = -y[1];
  }
};

template <>
struct Tile<4> {  // interpolation points 0, 1, -1, 2, -2 (and infinity)
  static constexpr int A = 6;
  static void input(const float* d, float* t) {
    t[0] = 4.0f * d[0] - 5.0f * d[2] + d[4];
    t[1] = -4.0f * (d[1] + d[2]) + d[3] + d[4];
    t[2] = 4.0f * (d[1] - d[2]) - d[3] + d[4];
    t[3] = 2.0f * (d[3] - d[1]) - d[2] + d[4];
    t[4] = 2.0f * (d[1] - d[3]) - d[2] + d[4];
    t[5] = 4.0f * d[1] - 5.0f * d[3] + d[5];
  }
  static void input_t(const float* t, float* d) {
    d[0] = 4.0f * t[0];
    d[1] = 4.0f * (t[2] - t[1] + t[5]) + 2.0f * (t[4] - t[3]);
    d[2] = -5.0f * t[0] - 4.0f * (t[1] + t[2]) - t[3] - t[4];
    d[3] = t[1] - t[2] + 2.0f * (t[3] - t[4]) - 5.0f * t[5];
    d[4] = t[0] + t[1] + t[2] + t[3] + t[4];
    d[5] = t[5];
  }
  static void kernel(const float* g, float* u) {
    u[0] = g[0] / 4.0f;
    u[1] = -(g[0] + g[1] + g[2]) / 6.0f;
    u[2] = -(g[0] - g[1] + g[2]) / 6.0f;
    u[3] = g[0] / 24.0f + g[1] / 12.0f + g[2] / 6.0f;
    u[4] = g[0] / 24.0f - g[1] / 12.0f + g[2] / 6.0f;
    u[5] = g[2];
  }
  static void kernel_t(const float* u, float* g) {
    g[0] = u[0] / 4.0f - (u[1] + u[2]) / 6.0f + (u[3] + u[4]) / 24.0f;
    g[1] = (u[2] - u[1]) / 6.0f + (u[3] - u[4]) / 12.0f;
    g[2] = (u[3] + u[4] - u[1] - u[2]) / 6.0f + u[5];
  }
  static void output(const float* m, float* y) {
    y[0] = m[0] + m[1] + m[2] + m[3] + m[4];
    y[1] = m[1] - m[2] + 2.0f * (m[3] - m[4]);
    y[2] = m[1] + m[2] + 4.0f * (m[3] + m[4]);
    y[3] = m[1] - m[2] + 8.0f * (m[3] - m[4]) + m[5];
  }
  static void output_t(const float* y, float* m) {
    m[0] = y[0];
    m[1] = y[0] + y[1] + y[2] + y[3];
    m[2] = y[0] - y[1] + y[2] - y[3];
    m[3] = y[0] + 2.0f * y[1] + 4.0f * y[2] + 8.0f * y[3];
    m[4] = y[0] - 2.0f * y[1] + 4.0f * y[2] - 8.0f * y[3];
    m[5] = y[3];
  }
};

// The 2-D transform X -> P X P^T of a block for a 1-D map P (R -> S values): P down
// each column, then along each row. in: R x R, out: S x S, both row-major.
template <int R, int S, void (*Map)(const float*, float*)>
inline void transform_2d(const float* in, float* out) {
  float t[S][R];  // the map applied down each column
#pragma GCC unroll 8
  for (int j = 0; j < R; ++j) {
    float col[R], mapped[S];
#pragma GCC unroll 8
    for (int i = 0; i < R; ++i) col[i] = in[i * R + j];
    Map(col, mapped);
#pragma GCC unroll 8
    for (int a = 0; a < S; ++a) t[a][j] = mapped[a];
  }
#pragma GCC unroll 8
  for (int a = 0; a < S; ++a) Map(t[a], out + a * S);
}

}  // namespace

struct Winograd3x3::Regions {
  float* v;      // chunk tiles x E x C: the transformed input (backward transforms x again)
  float* m;      // chunk tiles x E x F: products (forward), output gradient (backward)
  float* dv;     // chunk tiles x E x C: the transformed input gradient
  float* du;     // E x C x F: the transformed kernel gradient
  float* sink;   // max(C, F): where the values of out-of-image positions go
};

Winograd3x3::Winograd3x3(Shape in, Shape out, int pad_top, int pad_left, int tile)
    : in_(in), out_(out), pad_top_(pad_top), pad_left_(pad_left) {
  auto multiplications = [&](int m) {
    return double((out.h + m - 1) / m) * ((out.w + m - 1) / m) * (m + 2) * (m + 2);
  };
  if (tile != 0 && tile != 2 && tile != 4) throw Error("Winograd3x3: tile must be 2 or 4");
  m_ = tile != 0 ? tile : multiplications(4) < multiplications(2) ? 4 : 2;
  tiles_y_ = (out.h + m_ - 1) / m_;
  tiles_x_ = (out.w + m_ - 1) / m_;
  // 64-bit: layers are built for shapes up to 65536 a side before the network checks
  // its input (docs/hardening.md, F8).
  chunk_ = int(std::max<std::int64_t>(1, kChunkElements / (std::int64_t(tiles()) * elements())));
}

std::size_t Winograd3x3::prepared_floats() const {
  const std::size_t C = in_.c, F = out_.c, E = elements();
  return 2 * aligned(E * C * F) + aligned(std::max(C, F));
}

std::size_t Winograd3x3::cache_floats(int n) const {
  const std::size_t C = in_.c, F = out_.c, E = elements();
  const std::size_t chunk_tiles = std::size_t(chunk_samples(n)) * tiles();
  return aligned(chunk_tiles * E * C) + aligned(chunk_tiles * E * F) +
         aligned(chunk_tiles * E * C) + aligned(E * C * F) + aligned(std::max(C, F));
}

Winograd3x3::Regions Winograd3x3::regions(float* cache, int n) const {
  const std::size_t C = in_.c, F = out_.c, E = elements();
  const std::size_t chunk_tiles = std::size_t(chunk_samples(n)) * tiles();
  Regions r;
  r.v = cache;
  r.m = r.v + aligned(chunk_tiles * E * C);
  r.dv = r.m + aligned(chunk_tiles * E * F);
  r.du = r.dv + aligned(chunk_tiles * E * C);
  r.sink = r.du + aligned(E * C * F);
  return r;
}

// The (m+2)^2 input vectors of tile (ty, tx) in a sample's NHWC image: pointers into
// it, or `outside` where the block reaches past the image.
template <int M, typename T>
void Winograd3x3::tile_inputs(T* image, int ty, int tx, T* outside, T** p) const {
  constexpr int A = M + 2;
  for (int i = 0; i < A; ++i)
    for (int j = 0; j < A; ++j) {
      const int iy = M * ty - pad_top_ + i, ix = M * tx - pad_left_ + j;
      p[A * i + j] = iy >= 0 && iy < in_.h && ix >= 0 && ix < in_.w
                         ? image + (std::size_t(iy) * in_.w + ix) * in_.c
                         : outside;
    }
}

// The m x m output vectors of tile (ty, tx), `outside` past the last row or column.
// With step 0, every inside position points at image itself (a broadcast buffer).
template <int M, typename T>
void Winograd3x3::tile_outputs(T* image, int ty, int tx, T* outside, T** q, int step) const {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < M; ++j) {
      const int oy = M * ty + i, ox = M * tx + j;
      q[M * i + j] = oy < out_.h && ox < out_.w
                         ? image + step * (std::size_t(oy) * out_.w + ox) * out_.c
                         : outside;
    }
}

void Winograd3x3::prepare(const float* kernel, float* prepared) const {
  if (m_ == 4) return prepare_tiles<4>(kernel, prepared);
  prepare_tiles<2>(kernel, prepared);
}

// U = G g G^T for each (c, f): each pass runs over all (c, f) pairs at once,
// contiguous in the kernel's (kh, kw, C, F) layout.
template <int M>
void Winograd3x3::prepare_tiles(const float* kernel, float* prepared) const {
  using T = Tile<M>;
  constexpr int A = T::A;
  const int C = in_.c, F = out_.c;
  const std::size_t CF = std::size_t(C) * F, E = A * A;
  float* u = prepared;
  float* ut = prepared + aligned(E * CF);
  float* zeros = ut + aligned(E * CF);
  float* rows = ut;  // G g, (A x 3) x CF, in ut's space until the transpose overwrites it
  for (int kx = 0; kx < 3; ++kx) {
    const float* g = kernel + kx * CF;  // tap (ky, kx) at g[3 * ky * CF]
    float* t = rows + kx * CF;          // row a of G g at t[3 * a * CF]
    BLNK_IVDEP
    for (std::size_t i = 0; i < CF; ++i) {
      const float in[3] = {g[i], g[3 * CF + i], g[6 * CF + i]};
      float out[A];
      T::kernel(in, out);
#pragma GCC unroll 8
      for (int a = 0; a < A; ++a) t[3 * a * CF + i] = out[a];
    }
  }
  for (int a = 0; a < A; ++a) {  // (G g) G^T
    const float* t = rows + 3 * a * CF;
    float* ua = u + std::size_t(A) * a * CF;
    BLNK_IVDEP
    for (std::size_t i = 0; i < CF; ++i) {
      const float in[3] = {t[i], t[CF + i], t[2 * CF + i]};
      float out[A];
      T::kernel(in, out);
#pragma GCC unroll 8
      for (int b = 0; b < A; ++b) ua[b * CF + i] = out[b];
    }
  }
  // UT[e] = U[e]^T, in 16 x 16 blocks.
  constexpr int kBlock = 16;
  for (std::size_t e = 0; e < E; ++e)
    for (int c0 = 0; c0 < C; c0 += kBlock)
      for (int f0 = 0; f0 < F; f0 += kBlock)
        for (int f = f0; f < std::min(F, f0 + kBlock); ++f)
          for (int c = c0; c < std::min(C, c0 + kBlock); ++c)
            ut[e * CF + std::size_t(f) * C + c] = u[e * CF + std::size_t(c) * F + f];
  std::fill(zeros, zeros + std::max(C, F), 0.0f);
}

// V = B^T d B for each tile's input block d.
template <int M>
void Winograd3x3::transform_input(const float* x, int samples, const float* zeros, float* v) const {
  constexpr int A = Tile<M>::A, E = A * A;
  const int C = in_.c;
  for (int s = 0; s < samples; ++s) {
    const float* xs = x + std::size_t(s) * in_.size();
    for (int ty = 0; ty < tiles_y_; ++ty)
      for (int tx = 0; tx < tiles_x_; ++tx) {
        const float* p[E];
        tile_inputs<M>(xs, ty, tx, zeros, p);
        float* out = v + ((std::size_t(s) * tiles_y_ + ty) * tiles_x_ + tx) * E * C;
        BLNK_IVDEP
        for (int c = 0; c < C; ++c) {
          float d[E], t[E];
#pragma GCC unroll 36
          for (int k = 0; k < E; ++k) d[k] = p[k][c];
          transform_2d<A, A, Tile<M>::input>(d, t);
#pragma GCC unroll 36
          for (int k = 0; k < E; ++k) out[k * C + c] = t[k];
        }
      }
  }
}

// Y = A^T M A for each tile; then bias and ReLU. Outputs past the image's last row or
// column go to the sink.
template <int M>
void Winograd3x3::transform_output(const float* m, int samples, const float* bias, bool relu,
                                   float* y, float* sink) const {
  constexpr int A = Tile<M>::A, E = A * A;
  const int F = out_.c;
  const float floor = relu ? 0.0f : -std::numeric_limits<float>::infinity();
  for (int s = 0; s < samples; ++s) {
    float* ys = y + std::size_t(s) * out_.size();
    for (int ty = 0; ty < tiles_y_; ++ty)
      for (int tx = 0; tx < tiles_x_; ++tx) {
        float* q[M * M];
        tile_outputs<M>(ys, ty, tx, sink, q);
        const float* mt = m + ((std::size_t(s) * tiles_y_ + ty) * tiles_x_ + tx) * E * F;
        BLNK_IVDEP
        for (int f = 0; f < F; ++f) {
          float in[E], out[M * M];
#pragma GCC unroll 36
          for (int k = 0; k < E; ++k) in[k] = mt[k * F + f];
          transform_2d<A, M, Tile<M>::output>(in, out);
#pragma GCC unroll 16
          for (int k = 0; k < M * M; ++k) q[k][f] = std::max(out[k] + bias[f], floor);
        }
      }
  }
}

// The transpose of transform_output for a chunk of samples: dM = A dZ A^T, the bias
// gradient summed on the way. tile(offset, ty, tx) gives the tile's dZ as a function
// z(k, f) of its position k and channel f (0 past the image); offset: the sample's
// first element in the batch.
template <int M, typename TileGradient>
void Winograd3x3::output_gradient_tiles(int samples, std::size_t first, float* dbias, float* dm,
                                        TileGradient tile) const {
  constexpr int A = Tile<M>::A, E = A * A;
  const int F = out_.c;
  for (int s = 0; s < samples; ++s) {
    const std::size_t offset = first + std::size_t(s) * out_.size();
    for (int ty = 0; ty < tiles_y_; ++ty)
      for (int tx = 0; tx < tiles_x_; ++tx) {
        const auto z_at = tile(offset, ty, tx);
        float* mt = dm + ((std::size_t(s) * tiles_y_ + ty) * tiles_x_ + tx) * E * F;
        BLNK_IVDEP
        for (int f = 0; f < F; ++f) {
          float z[M * M], out[E];
          float sum = 0.0f;
#pragma GCC unroll 16
          for (int k = 0; k < M * M; ++k) {
            z[k] = z_at(k, f);
            sum += z[k];
          }
          dbias[f] += sum;
          transform_2d<M, A, Tile<M>::output_t>(z, out);
#pragma GCC unroll 36
          for (int k = 0; k < E; ++k) mt[k * F + f] = out[k];
        }
      }
  }
}

// dZ is dy through the ReLU's mask.
template <int M>
void Winograd3x3::output_gradient(const float* y, const float* dy, std::size_t first, int samples, bool relu,
                                  const float* zeros, float* dbias, float* dm) const {
  // The mask passes dy where y > floor: -inf without a ReLU (y then reads zeros).
  const float floor = relu ? 0.0f : -std::numeric_limits<float>::infinity();
  output_gradient_tiles<M>(samples, first, dbias, dm, [&](std::size_t offset, int ty, int tx) {
    struct {
      const float* g[M * M];  // dy
      const float* a[M * M];  // y: positive where the ReLU let the value through
      float floor;
      float operator()(int k, int f) const {
        const float gk = g[k][f];  // loaded either way: a select, not a branch
        return a[k][f] > floor ? gk : 0.0f;
      }
    } z;
    z.floor = floor;
    tile_outputs<M>(dy + offset, ty, tx, zeros, z.g);
    tile_outputs<M>(relu ? y + offset : zeros, ty, tx, zeros, z.a, relu ? 1 : 0);
    return z;
  });
}

// dZ is a BatchNorm's input gradient, bn.of(dy, its input) at each element.
template <int M, bool Relu>
void Winograd3x3::output_gradient_through_bn(const BatchNormGradient& bn, const float* dy, std::size_t first,
                                             int samples, const float* zeros, float* dbias, float* dm) const {
  output_gradient_tiles<M>(samples, first, dbias, dm, [&](std::size_t offset, int ty, int tx) {
    struct {
      const float* g[M * M];   // dy
      const float* xs[M * M];  // the bn's input
      bool inside[M * M];
      const BatchNormGradient* bn;
      float operator()(int k, int f) const {
        const float v = bn->of<Relu>(g[k][f], xs[k][f], f);  // computed either way: a select, not a branch
        return inside[k] ? v : 0.0f;
      }
    } z;
    z.bn = &bn;
    tile_outputs<M>(dy + offset, ty, tx, zeros, z.g);
    tile_outputs<M>(bn.x + offset, ty, tx, zeros, z.xs);
    for (int k = 0; k < M * M; ++k) z.inside[k] = z.g[k] != zeros;
    return z;
  });
}

namespace {

// One tile's dd = B dV B^T (vt: its E transformed vectors) added into dx through the
// pointers p, or, with Assign, stored where this tile is the first in row-major tile
// order to reach the position: unless in the first tile row (Top), its first A - M
// rows were reached by the tile above; unless in the first tile column (Left), its
// first A - M columns by the tile to the left. A store there gives the bits an add to
// a zeroed dx gives (0 + a = a), without the zeroing pass or the loads.
template <int M, bool Assign, bool Top, bool Left>
inline void tile_input_gradient(const float* vt, int C, float* const* p) {
  constexpr int A = Tile<M>::A, E = A * A;
  BLNK_IVDEP
  for (int c = 0; c < C; ++c) {
    float in[E], out[E];
#pragma GCC unroll 36
    for (int k = 0; k < E; ++k) in[k] = vt[k * C + c];
    transform_2d<A, A, Tile<M>::input_t>(in, out);
#pragma GCC unroll 36
    for (int k = 0; k < E; ++k) {
      const bool first = Assign && (k / A >= A - M || Top) && (k % A >= A - M || Left);
      if (first)
        p[k][c] = out[k];
      else
        p[k][c] += out[k];
    }
  }
}

}  // namespace

// The transpose of transform_input: dd = B dV B^T, added into dx (neighbouring tiles'
// blocks overlap by two rows and columns), or assigned to it (every position of the
// image is in some tile's block); positions outside the image go to the sink.
template <int M>
void Winograd3x3::input_gradient(const float* dv, int samples, float* dx, float* sink, bool add) const {
  constexpr int E = Tile<M>::A * Tile<M>::A;
  const int C = in_.c;
  for (int s = 0; s < samples; ++s) {
    float* dxs = dx + std::size_t(s) * in_.size();
    for (int ty = 0; ty < tiles_y_; ++ty)
      for (int tx = 0; tx < tiles_x_; ++tx) {
        float* p[E];
        tile_inputs<M>(dxs, ty, tx, sink, p);
        const float* vt = dv + ((std::size_t(s) * tiles_y_ + ty) * tiles_x_ + tx) * E * C;
        if (add) tile_input_gradient<M, false, false, false>(vt, C, p);
        else if (ty == 0 && tx == 0) tile_input_gradient<M, true, true, true>(vt, C, p);
        else if (ty == 0) tile_input_gradient<M, true, true, false>(vt, C, p);
        else if (tx == 0) tile_input_gradient<M, true, false, true>(vt, C, p);
        else tile_input_gradient<M, true, false, false>(vt, C, p);
      }
  }
}

// dg = G^T dU G for each (c, f), added to the kernel gradient (kh, kw, C, F).
template <int M>
void Winograd3x3::kernel_gradient(const float* du, float* dkernel) const {
  constexpr int A = Tile<M>::A, E = A * A;
  const std::size_t CF = std::size_t(in_.c) * out_.c;
  BLNK_IVDEP
  for (std::size_t i = 0; i < CF; ++i) {
    float in[E], out[9];
#pragma GCC unroll 36
    for (int k = 0; k < E; ++k) in[k] = du[k * CF + i];
    transform_2d<A, 3, Tile<M>::kernel_t>(in, out);
#pragma GCC unroll 9
    for (int k = 0; k < 9; ++k) dkernel[k * CF + i] += out[k];
  }
}

void Winograd3x3::forward(const float* x, float* y, int n, const float* prepared, const float* bias,
                          bool relu, float* cache, std::byte* bf16) const {
  const int C = in_.c, F = out_.c, T = tiles(), E = elements();
  const std::size_t CF = std::size_t(C) * F;
  const float* u = prepared;
  const float* zeros = prepared + 2 * aligned(E * CF);
  const Regions r = regions(cache, n);
  for (int s0 = 0; s0 < n; s0 += chunk_) {
    const int samples = std::min(chunk_, n - s0);
    const int rows = samples * T;
    float* v = r.v;
    const float* xs = x + std::size_t(s0) * in_.size();
    float* ys = y + std::size_t(s0) * out_.size();
    if (m_ == 4) transform_input<4>(xs, samples, zeros, v);
    else transform_input<2>(xs, samples, zeros, v);
    if (bf16) bf16_forward_products(rows, v, u, r.m, bf16, s0 == 0);
    else
      for (int e = 0; e < E; ++e)
        small_gemm(rows, F, C, {v + e * C, std::ptrdiff_t(E) * C, 1}, u + e * CF, F, r.m + e * F,
                   std::ptrdiff_t(E) * F, false);
    if (m_ == 4) transform_output<4>(r.m, samples, bias, relu, ys, r.sink);
    else transform_output<2>(r.m, samples, bias, relu, ys, r.sink);
  }
}

void Winograd3x3::backward(const float* x, const float* y, const float* dy, float* dx, int n,
                           const float* prepared, bool relu, float* dkernel, float* dbias, float* cache,
                           bool add_dx, std::byte* bf16, const BatchNormGradient* bn) const {
  const int C = in_.c, F = out_.c, T = tiles(), E = elements();
  const std::size_t CF = std::size_t(C) * F;
  const float* ut = prepared + aligned(E * CF);
  const float* zeros = ut + aligned(E * CF);
  const Regions r = regions(cache, n);
  for (int s0 = 0; s0 < n; s0 += chunk_) {
    const int samples = std::min(chunk_, n - s0);
    const int rows = samples * T;
    const float* v = r.v;
    const float* xs = x + std::size_t(s0) * in_.size();
    if (m_ == 4) transform_input<4>(xs, samples, zeros, r.v);  // again: see cache_floats
    else transform_input<2>(xs, samples, zeros, r.v);
    const std::size_t first = std::size_t(s0) * out_.size();
    if (bn && bn->relu) {
      if (m_ == 4) output_gradient_through_bn<4, true>(*bn, dy, first, samples, zeros, dbias, r.m);
      else output_gradient_through_bn<2, true>(*bn, dy, first, samples, zeros, dbias, r.m);
    } else if (bn) {
      if (m_ == 4) output_gradient_through_bn<4, false>(*bn, dy, first, samples, zeros, dbias, r.m);
      else output_gradient_through_bn<2, false>(*bn, dy, first, samples, zeros, dbias, r.m);
    } else if (m_ == 4) {
      output_gradient<4>(y, dy, first, samples, relu, zeros, dbias, r.m);
    } else {
      output_gradient<2>(y, dy, first, samples, relu, zeros, dbias, r.m);
    }
    if (bf16) bf16_backward_products(rows, v, r.m, ut, r.du, s0 == 0, dx ? r.dv : nullptr, bf16);
    else
      for (int e = 0; e < E; ++e)  // dU[e] += V[e]^T dM[e]; the first chunk assigns (no zero-fill first)
        small_gemm(C, F, rows, {v + e * C, 1, std::ptrdiff_t(E) * C}, r.m + e * F,
                   std::ptrdiff_t(E) * F, r.du + e * CF, F, s0 > 0);
    if (!dx) continue;
    for (int e = 0; !bf16 && e < E; ++e)  // dV[e] = dM[e] U[e]^T
      small_gemm(rows, C, F, {r.m + e * F, std::ptrdiff_t(E) * F, 1}, ut + e * CF, C,
                 r.dv + e * C, std::ptrdiff_t(E) * C, false);
    float* dxs = dx + std::size_t(s0) * in_.size();
    if (m_ == 4) input_gradient<4>(r.dv, samples, dxs, r.sink, add_dx);
    else input_gradient<2>(r.dv, samples, dxs, r.sink, add_dx);
  }
  if (m_ == 4) kernel_gradient<4>(r.du, dkernel);
  else kernel_gradient<2>(r.du, dkernel);
}

}  // namespace blnk
