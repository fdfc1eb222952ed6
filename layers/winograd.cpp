// Winograd F(2x2, 3x3): the transforms (with B, G and A of Lavin and Gray) and the
// chunked driver. Every loop over channels or filters is innermost, over the
// contiguous NHWC vectors, so the compiler vectorises it; the 16 products per chunk
// go to small_gemm. Layouts, tile-major so a tile's 16 transformed vectors are adjacent:
//   transformed input V[tile][e][c], products M[tile][e][f], kernel U[e][c][f]
//   (and its transpose UT[e][f][c]); e = 4 * row + column of the 4x4 transformed tile.
#include "layers/winograd.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "layers/small_gemm.h"

namespace blnk {
namespace {

constexpr int kChunkTiles = 128;
constexpr std::size_t kAlign = 16;  // floats: every region starts on a 64-byte boundary

std::size_t aligned(std::size_t floats) { return (floats + kAlign - 1) / kAlign * kAlign; }

}  // namespace

struct Winograd3x3::Regions {
  float* v;      // n x tiles x 16 x C: the transformed input, kept for backward
  float* m;      // chunk tiles x 16 x F: products (forward), output gradient (backward)
  float* dv;     // chunk tiles x 16 x C: the transformed input gradient
  float* du;     // 16 x C x F: the transformed kernel gradient
  float* sink;   // max(C, F): where the values of out-of-image positions go
};

Winograd3x3::Winograd3x3(Shape in, Shape out, int pad_top, int pad_left)
    : in_(in), out_(out), pad_top_(pad_top), pad_left_(pad_left) {
  tiles_y_ = (out.h + 1) / 2;
  tiles_x_ = (out.w + 1) / 2;
  chunk_ = std::max(1, kChunkTiles / tiles());
}

std::size_t Winograd3x3::prepared_floats() const {
  const std::size_t C = in_.c, F = out_.c;
  return 2 * aligned(16 * C * F) + aligned(std::max(C, F));
}

std::size_t Winograd3x3::cache_floats(int n) const {
  const std::size_t C = in_.c, F = out_.c;
  const std::size_t chunk_tiles = std::size_t(chunk_samples(n)) * tiles();
  return aligned(std::size_t(n) * tiles() * 16 * C) + aligned(chunk_tiles * 16 * F) +
         aligned(chunk_tiles * 16 * C) + aligned(16 * C * F) + aligned(std::max(C, F));
}

Winograd3x3::Regions Winograd3x3::regions(float* cache, int n) const {
  const std::size_t C = in_.c, F = out_.c;
  const std::size_t chunk_tiles = std::size_t(chunk_samples(n)) * tiles();
  Regions r;
  r.v = cache;
  r.m = r.v + aligned(std::size_t(n) * tiles() * 16 * C);
  r.dv = r.m + aligned(chunk_tiles * 16 * F);
  r.du = r.dv + aligned(chunk_tiles * 16 * C);
  r.sink = r.du + aligned(16 * C * F);
  return r;
}

// The 16 input vectors of tile (ty, tx) in a sample's NHWC image: pointers into it,
// or `outside` where the 4x4 block reaches past the image.
template <typename T>
void Winograd3x3::tile_inputs(T* image, int ty, int tx, T* outside, T* p[16]) const {
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      const int iy = 2 * ty - pad_top_ + i, ix = 2 * tx - pad_left_ + j;
      p[4 * i + j] = iy >= 0 && iy < in_.h && ix >= 0 && ix < in_.w
                         ? image + (std::size_t(iy) * in_.w + ix) * in_.c
                         : outside;
    }
}

// The 4 output vectors of tile (ty, tx), `outside` past the last row or column. With
// step 0, every inside position points at image itself (a broadcast buffer).
template <typename T>
void Winograd3x3::tile_outputs(T* image, int ty, int tx, T* outside, T* q[4], int step) const {
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      const int oy = 2 * ty + i, ox = 2 * tx + j;
      q[2 * i + j] = oy < out_.h && ox < out_.w
                         ? image + step * (std::size_t(oy) * out_.w + ox) * out_.c
                         : outside;
    }
}

// U = G g G^T for each (c, f), G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]: each pass
// runs over all (c, f) pairs at once, contiguous in the kernel's (kh, kw, C, F) layout.
void Winograd3x3::prepare(const float* kernel, float* prepared) const {
  const int C = in_.c, F = out_.c;
  const std::size_t CF = std::size_t(C) * F;
  float* u = prepared;
  float* ut = prepared + aligned(16 * CF);
  float* zeros = ut + aligned(16 * CF);
  float* rows = ut;  // G g, (4 x 3) x CF, in ut's space until the transpose overwrites it
  for (int kx = 0; kx < 3; ++kx) {
    const float* g0 = kernel + (0 * 3 + kx) * CF;
    const float* g1 = kernel + (1 * 3 + kx) * CF;
    const float* g2 = kernel + (2 * 3 + kx) * CF;
    float* t0 = rows + (0 * 3 + kx) * CF;
    float* t1 = rows + (1 * 3 + kx) * CF;
    float* t2 = rows + (2 * 3 + kx) * CF;
    float* t3 = rows + (3 * 3 + kx) * CF;
#pragma GCC ivdep
    for (std::size_t i = 0; i < CF; ++i) {
      t0[i] = g0[i];
      t1[i] = 0.5f * (g0[i] + g1[i] + g2[i]);
      t2[i] = 0.5f * (g0[i] - g1[i] + g2[i]);
      t3[i] = g2[i];
    }
  }
  for (int a = 0; a < 4; ++a) {  // (G g) G^T
    const float* t0 = rows + (a * 3 + 0) * CF;
    const float* t1 = rows + (a * 3 + 1) * CF;
    const float* t2 = rows + (a * 3 + 2) * CF;
    float* u0 = u + (4 * a + 0) * CF;
    float* u1 = u + (4 * a + 1) * CF;
    float* u2 = u + (4 * a + 2) * CF;
    float* u3 = u + (4 * a + 3) * CF;
#pragma GCC ivdep
    for (std::size_t i = 0; i < CF; ++i) {
      u0[i] = t0[i];
      u1[i] = 0.5f * (t0[i] + t1[i] + t2[i]);
      u2[i] = 0.5f * (t0[i] - t1[i] + t2[i]);
      u3[i] = t2[i];
    }
  }
  // UT[e] = U[e]^T, in 16 x 16 blocks.
  constexpr int kBlock = 16;
  for (int e = 0; e < 16; ++e)
    for (int c0 = 0; c0 < C; c0 += kBlock)
      for (int f0 = 0; f0 < F; f0 += kBlock)
        for (int f = f0; f < std::min(F, f0 + kBlock); ++f)
          for (int c = c0; c < std::min(C, c0 + kBlock); ++c)
            ut[e * CF + std::size_t(f) * C + c] = u[e * CF + std::size_t(c) * F + f];
  std::fill(zeros, zeros + std::max(C, F), 0.0f);
}

// V = B^T d B for each tile's 4x4 input block d,
// B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
void Winograd3x3::transform_input(const float* x, int samples, const float* zeros, float* v) const {
  const int C = in_.c;
  for (int s = 0; s < samples; ++s) {
    const float* xs = x + std::size_t(s) * in_.size();
    for (int ty = 0; ty < tiles_y_; ++ty)
      for (int tx = 0; tx < tiles_x_; ++tx) {
        const float* p[16];
        tile_inputs(xs, ty, tx, zeros, p);
        float* out = v + ((std::size_t(s) * tiles_y_ + ty) * tiles_x_ + tx) * 16 * C;
#pragma GCC ivdep
        for (int c = 0; c < C; ++c) {
          float t[4][4];
          for (int j = 0; j < 4; ++j) {
            const float d0 = p[j][c], d1 = p[4 + j][c], d2 = p[8 + j][c], d3 = p[12 + j][c];
            t[0][j] = d0 - d2;
            t[1][j] = d1 + d2;
            t[2][j] = d2 - d1;
            t[3][j] = d1 - d3;
          }
          for (int i = 0; i < 4; ++i) {
            out[(4 * i + 0) * C + c] = t[i][0] - t[i][2];
            out[(4 * i + 1) * C + c] = t[i][1] + t[i][2];
            out[(4 * i + 2) * C + c] = t[i][2] - t[i][1];
            out[(4 * i + 3) * C + c] = t[i][1] - t[i][3];
          }
        }
      }
  }
}

// Y = A^T M A for each tile, A^T = [1 1 1 0; 0 1 -1 -1]; then bias and ReLU. Outputs
// past the image's last row or column (odd sizes) go to the sink.
void Winograd3x3::transform_output(const float* m, int samples, const float* bias, bool relu,
                                   float* y, float* sink) const {
  const int F = out_.c;
  const float floor = relu ? 0.0f : -std::numeric_limits<float>::infinity();
  for (int s = 0; s < samples; ++s) {
    float* ys = y + std::size_t(s) * out_.size();
    for (int ty = 0; ty < tiles_y_; ++ty)
      for (int tx = 0; tx < tiles_x_; ++tx) {
        float* q[4];
        tile_outputs(ys, ty, tx, sink, q);
        const float* mt = m + ((std::size_t(s) * tiles_y_ + ty) * tiles_x_ + tx) * 16 * F;
#pragma GCC ivdep
        for (int f = 0; f < F; ++f) {
          float r[2][4];
          for (int j = 0; j < 4; ++j) {
            const float m0 = mt[(0 + j) * F + f], m1 = mt[(4 + j) * F + f],
                        m2 = mt[(8 + j) * F + f], m3 = mt[(12 + j) * F + f];
            r[0][j] = m0 + m1 + m2;
            r[1][j] = m1 - m2 - m3;
          }
          for (int i = 0; i < 2; ++i) {
            q[2 * i][f] = std::max(r[i][0] + r[i][1] + r[i][2] + bias[f], floor);
            q[2 * i + 1][f] = std::max(r[i][1] - r[i][2] - r[i][3] + bias[f], floor);
          }
        }
      }
  }
}

// The transpose of transform_output: dM = A dZ A^T, where dZ is dy through the ReLU's
// mask (zero past the image); the bias gradient is summed on the way.
void Winograd3x3::output_gradient(const float* y, const float* dy, int samples, bool relu,
                                  const float* zeros, float* dbias, float* dm) const {
  const int F = out_.c;
  for (int s = 0; s < samples; ++s) {
    const std::size_t offset = std::size_t(s) * out_.size();
    for (int ty = 0; ty < tiles_y_; ++ty)
      for (int tx = 0; tx < tiles_x_; ++tx) {
        const float* g[4];  // dy
        const float* a[4];  // y: positive where the ReLU let the value through (zeros outside)
        tile_outputs(dy + offset, ty, tx, zeros, g);
        tile_outputs(relu ? y + offset : zeros, ty, tx, zeros, a, relu ? 1 : 0);
        float* mt = dm + ((std::size_t(s) * tiles_y_ + ty) * tiles_x_ + tx) * 16 * F;
        const float *g0 = g[0], *g1 = g[1], *g2 = g[2], *g3 = g[3];
        const float *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3];
        const float floor = relu ? 0.0f : -std::numeric_limits<float>::infinity();
#pragma GCC ivdep
        for (int f = 0; f < F; ++f) {
          // Selects, not branches: the mask passes dy where y > floor.
          const float z[4] = {a0[f] > floor ? g0[f] : 0.0f, a1[f] > floor ? g1[f] : 0.0f,
                              a2[f] > floor ? g2[f] : 0.0f, a3[f] > floor ? g3[f] : 0.0f};
          dbias[f] += (z[0] + z[1]) + (z[2] + z[3]);
          float r[4][2];  // A dZ
          for (int j = 0; j < 2; ++j) {
            r[0][j] = z[j];
            r[1][j] = z[j] + z[2 + j];
            r[2][j] = z[j] - z[2 + j];
            r[3][j] = -z[2 + j];
          }
          for (int b = 0; b < 4; ++b) {  // (A dZ) A^T
            mt[(4 * b + 0) * F + f] = r[b][0];
            mt[(4 * b + 1) * F + f] = r[b][0] + r[b][1];
            mt[(4 * b + 2) * F + f] = r[b][0] - r[b][1];
            mt[(4 * b + 3) * F + f] = -r[b][1];
          }
        }
      }
  }
}

// The transpose of transform_input: dd = B dV B^T, added into dx (tiles overlap by two
// rows and columns); positions outside the image go to the sink.
void Winograd3x3::input_gradient(const float* dv, int samples, float* dx, float* sink) const {
  const int C = in_.c;
  std::memset(dx, 0, sizeof(float) * std::size_t(samples) * in_.size());
  for (int s = 0; s < samples; ++s) {
    float* dxs = dx + std::size_t(s) * in_.size();
    for (int ty = 0; ty < tiles_y_; ++ty)
      for (int tx = 0; tx < tiles_x_; ++tx) {
        float* p[16];
        tile_inputs(dxs, ty, tx, sink, p);
        const float* vt = dv + ((std::size_t(s) * tiles_y_ + ty) * tiles_x_ + tx) * 16 * C;
#pragma GCC ivdep
        for (int c = 0; c < C; ++c) {
          float t[4][4];  // B dV
          for (int b = 0; b < 4; ++b) {
            const float v0 = vt[(0 + b) * C + c], v1 = vt[(4 + b) * C + c],
                        v2 = vt[(8 + b) * C + c], v3 = vt[(12 + b) * C + c];
            t[0][b] = v0;
            t[1][b] = v1 - v2 + v3;
            t[2][b] = v1 + v2 - v0;
            t[3][b] = -v3;
          }
          for (int i = 0; i < 4; ++i) {  // (B dV) B^T
            p[4 * i + 0][c] += t[i][0];
            p[4 * i + 1][c] += t[i][1] - t[i][2] + t[i][3];
            p[4 * i + 2][c] += t[i][1] + t[i][2] - t[i][0];
            p[4 * i + 3][c] -= t[i][3];
          }
        }
      }
  }
}

void Winograd3x3::forward(const float* x, float* y, int n, const float* prepared, const float* bias,
                          bool relu, float* cache) const {
  const int C = in_.c, F = out_.c, T = tiles();
  const std::size_t CF = std::size_t(C) * F;
  const float* u = prepared;
  const float* zeros = prepared + 2 * aligned(16 * CF);
  const Regions r = regions(cache, n);
  for (int s0 = 0; s0 < n; s0 += chunk_) {
    const int samples = std::min(chunk_, n - s0);
    const int rows = samples * T;
    float* v = r.v + std::size_t(s0) * T * 16 * C;
    transform_input(x + std::size_t(s0) * in_.size(), samples, zeros, v);
    for (int e = 0; e < 16; ++e)
      small_gemm(rows, F, C, {v + e * C, 16 * std::ptrdiff_t(C), 1}, u + e * CF, F, r.m + e * F,
                 16 * std::ptrdiff_t(F), false);
    transform_output(r.m, samples, bias, relu, y + std::size_t(s0) * out_.size(), r.sink);
  }
}

void Winograd3x3::backward(const float* y, const float* dy, float* dx, int n, const float* prepared,
                           bool relu, float* dkernel, float* dbias, float* cache) const {
  const int C = in_.c, F = out_.c, T = tiles();
  const std::size_t CF = std::size_t(C) * F;
  const float* ut = prepared + aligned(16 * CF);
  const float* zeros = ut + aligned(16 * CF);
  const Regions r = regions(cache, n);
  std::fill(r.du, r.du + 16 * CF, 0.0f);
  for (int s0 = 0; s0 < n; s0 += chunk_) {
    const int samples = std::min(chunk_, n - s0);
    const int rows = samples * T;
    const float* v = r.v + std::size_t(s0) * T * 16 * C;
    const std::size_t first = std::size_t(s0) * out_.size();
    output_gradient(y + first, dy + first, samples, relu, zeros, dbias, r.m);
    for (int e = 0; e < 16; ++e)  // dU[e] += V[e]^T dM[e]
      small_gemm(C, F, rows, {v + e * C, 1, 16 * std::ptrdiff_t(C)}, r.m + e * F,
                 16 * std::ptrdiff_t(F), r.du + e * CF, F, true);
    if (!dx) continue;
    for (int e = 0; e < 16; ++e)  // dV[e] = dM[e] U[e]^T
      small_gemm(rows, C, F, {r.m + e * F, 16 * std::ptrdiff_t(F), 1}, ut + e * CF, C,
                 r.dv + e * C, 16 * std::ptrdiff_t(C), false);
    input_gradient(r.dv, samples, dx + std::size_t(s0) * in_.size(), r.sink);
  }
  // dg = G^T dU G for each (c, f), added to the kernel gradient (kh, kw, C, F).
  for (int c = 0; c < C; ++c)
#pragma GCC ivdep
    for (int f = 0; f < F; ++f) {
      const float* du = r.du + std::size_t(c) * F + f;  // element e at du[e * CF]
      float t[3][4];  // G^T dU
      for (int b = 0; b < 4; ++b) {
        const float u0 = du[(0 + b) * CF], u1 = du[(4 + b) * CF], u2 = du[(8 + b) * CF],
                    u3 = du[(12 + b) * CF];
        t[0][b] = u0 + 0.5f * (u1 + u2);
        t[1][b] = 0.5f * (u1 - u2);
        t[2][b] = 0.5f * (u1 + u2) + u3;
      }
      for (int ky = 0; ky < 3; ++ky) {  // (G^T dU) G
        float* g = dkernel + (std::size_t(ky) * 3) * CF + std::size_t(c) * F + f;
        g[0 * CF] += t[ky][0] + 0.5f * (t[ky][1] + t[ky][2]);
        g[1 * CF] += 0.5f * (t[ky][1] - t[ky][2]);
        g[2 * CF] += 0.5f * (t[ky][1] + t[ky][2]) + t[ky][3];
      }
    }
}

}  // namespace blnk
