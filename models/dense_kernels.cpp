#include "models/dense_kernels.h"

#include <algorithm>
#include <cstring>

// Each public kernel is cloned per instruction set; GCC's vector extension types below lower to one
// zmm (AVX-512), two ymm (AVX2) or four xmm (baseline) registers per 16 floats in the matching clone.
#define EQUIMOL_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#define EQUIMOL_INLINE [[gnu::always_inline]] inline

namespace equimol::models::kernels {

namespace {

typedef float Lanes __attribute__((vector_size(64)));  // 16 floats
constexpr std::int64_t kLanes = 16;
// A register block is 4 rows x 2 x 16 columns: 8 independent accumulators keep both FMA units busy
// through the 4-cycle FMA latency, with 2 weight loads and 4 broadcasts per k.
constexpr std::int64_t kRowBlock = 4;
constexpr int kColumnBlock = 2;  // in units of 16 lanes

EQUIMOL_INLINE Lanes load(const float* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);  // unaligned load
  return v;
}

EQUIMOL_INLINE void store(float* p, Lanes v) { std::memcpy(p, &v, sizeof v); }

/// R rows x C * 16 columns (from column o) of y = start + x W^T, where start is y itself
/// (accumulate), the bias, or zero. x points at the first of the R rows (rows ldx apart), y at the
/// first row's column 0.
template <int R, int C>
EQUIMOL_INLINE void lanes_block(const float* x, std::int64_t ldx, std::int64_t in, const float* wt, const float* bias,
                                bool accumulate, std::int64_t out, std::int64_t o, float* y) {
  Lanes acc[R][C];
  for (int i = 0; i < R; ++i) {
    for (int c = 0; c < C; ++c) {
      const std::int64_t col = o + c * kLanes;
      acc[i][c] = accumulate ? load(y + i * out + col) : bias ? load(bias + col) : Lanes{};
    }
  }
  for (std::int64_t k = 0; k < in; ++k) {
    Lanes w[C];
    for (int c = 0; c < C; ++c) w[c] = load(wt + k * out + o + c * kLanes);
    for (int i = 0; i < R; ++i) {
      const float xik = x[i * ldx + k];
      for (int c = 0; c < C; ++c) acc[i][c] += xik * w[c];
    }
  }
  for (int i = 0; i < R; ++i) {
    for (int c = 0; c < C; ++c) store(y + i * out + o + c * kLanes, acc[i][c]);
  }
}

/// Rows of y from column 0 to `full` (a multiple of 16) in register blocks.
template <int R>
EQUIMOL_INLINE void row_block(const float* x, std::int64_t ldx, std::int64_t in, const float* wt, const float* bias,
                              bool accumulate, std::int64_t out, std::int64_t full, float* y) {
  constexpr std::int64_t kWide = kColumnBlock * kLanes;
  std::int64_t o = 0;
  for (; o + kWide <= full; o += kWide) lanes_block<R, kColumnBlock>(x, ldx, in, wt, bias, accumulate, out, o, y);
  for (; o < full; o += kLanes) lanes_block<R, 1>(x, ldx, in, wt, bias, accumulate, out, o, y);
}

/// The columns after the last full 16 (small outputs such as a scalar read-out), one at a time.
EQUIMOL_INLINE void scalar_columns(const float* x, std::int64_t ldx, std::int64_t rows, std::int64_t in,
                                   const float* wt, const float* bias, bool accumulate, std::int64_t out,
                                   std::int64_t first, float* y) {
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t o = first; o < out; ++o) {
      float sum = accumulate ? y[r * out + o] : bias ? bias[o] : 0.0f;
      for (std::int64_t k = 0; k < in; ++k) sum += x[r * ldx + k] * wt[k * out + o];
      y[r * out + o] = sum;
    }
  }
}

/// y = start + x[:, :in] W^T with x's rows ldx apart, in register blocks.
EQUIMOL_INLINE void gemm_panel(const float* x, std::int64_t ldx, std::int64_t rows, std::int64_t in, const float* wt,
                               const float* bias, bool accumulate, std::int64_t out, float* y) {
  const std::int64_t full = out - out % kLanes;
  std::int64_t r = 0;
  for (; r + kRowBlock <= rows; r += kRowBlock) {
    row_block<kRowBlock>(x + r * ldx, ldx, in, wt, bias, accumulate, out, full, y + r * out);
  }
  for (; r < rows; ++r) row_block<1>(x + r * ldx, ldx, in, wt, bias, accumulate, out, full, y + r * out);
  if (full < out) scalar_columns(x, ldx, rows, in, wt, bias, accumulate, out, full, y);
}

/// a . b over n floats.
EQUIMOL_INLINE float dot(const float* a, const float* b, std::int64_t n) {
  const std::int64_t full = n - n % kLanes;
  Lanes acc{};
  for (std::int64_t k = 0; k < full; k += kLanes) acc += load(a + k) * load(b + k);
  float sum = 0.0f;
  for (std::int64_t l = 0; l < kLanes; ++l) sum += acc[l];
  for (std::int64_t k = full; k < n; ++k) sum += a[k] * b[k];
  return sum;
}

// Long inner dimensions (weight gradients dy^T x sum over every edge) are cut into chunks whose slice of
// wt stays in cache while all row blocks pass over it; otherwise each row block streams all of wt.
constexpr std::int64_t kDepthChunk = 512;

EQUIMOL_INLINE void gemm(const float* x, std::int64_t rows, std::int64_t in, const float* wt, const float* bias,
                         bool accumulate, std::int64_t out, float* y) {
  if (out == 1) {  // a matrix-vector product (e.g. phi_x's last layer): vectorise along the rows of x
    for (std::int64_t r = 0; r < rows; ++r) {
      y[r] = (accumulate ? y[r] : bias ? bias[0] : 0.0f) + dot(x + r * in, wt, in);
    }
    return;
  }
  for (std::int64_t k = 0; k < in; k += kDepthChunk) {
    const std::int64_t depth = std::min(kDepthChunk, in - k);
    gemm_panel(x + k, in, rows, depth, wt + k * out, bias, accumulate || k > 0, out, y);
  }
  if (in == 0) gemm_panel(x, in, rows, 0, wt, bias, accumulate, out, y);  // y = bias (or unchanged)
}

typedef std::int32_t IntLanes __attribute__((vector_size(64)));

EQUIMOL_INLINE Lanes splat(float value) { return Lanes{} + value; }

/// exp(v) lane by lane, with v clamped to [-80, 80]: v = n ln2 + r, |r| <= ln2 / 2, exp(r) by Cephes'
/// degree-6 polynomial, 2^n written into the exponent bits. Written on whole vectors (selects, not
/// branches) because GCC, given scalar code with clamps, if-converts it into a version that also
/// evaluates the clamped constants' division for every lane, and those land in denormals, which cost
/// a microcode assist each. The clamp keeps exp, 1 / (1 + exp) and their products normal floats.
EQUIMOL_INLINE Lanes exp_lanes(Lanes v) {
  constexpr float kLog2e = 1.44269504088896341f;
  constexpr float kRoundMagic = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer in the low bits
  constexpr std::int32_t kRoundMagicBits = 0x4B400000;
  constexpr float kLn2Hi = 0.693359375f, kLn2Lo = -2.12194440e-4f;  // ln 2 = hi + lo, hi exact in few bits
  const Lanes low = splat(-80.0f), high = splat(80.0f);
  v = v < low ? low : v;
  v = v > high ? high : v;
  const Lanes shifted = v * kLog2e + kRoundMagic;
  const IntLanes n = (IntLanes)shifted - kRoundMagicBits;
  const Lanes nf = shifted - kRoundMagic;
  const Lanes r = (v - nf * kLn2Hi) - nf * kLn2Lo;
  Lanes p = splat(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const Lanes exp_r = p * r * r + r + 1.0f;
  const IntLanes scale_bits = (n + 127) << 23;
  return exp_r * (Lanes)scale_bits;
}

/// data[i] = f(data[i]) on whole vectors; the last partial vector goes through a zero-padded copy.
template <class F>
EQUIMOL_INLINE void map_lanes(float* data, std::int64_t n, F f) {
  const std::int64_t full = n - n % kLanes;
  for (std::int64_t i = 0; i < full; i += kLanes) store(data + i, f(load(data + i)));
  if (full == n) return;
  float tail[kLanes] = {};
  std::memcpy(tail, data + full, (n - full) * sizeof(float));
  store(tail, f(load(tail)));
  std::memcpy(data + full, tail, (n - full) * sizeof(float));
}

}  // namespace

EQUIMOL_CLONES void linear(const float* x, std::int64_t rows, std::int64_t in, const float* wt, const float* bias,
                           std::int64_t out, float* y) {
  gemm(x, rows, in, wt, bias, /*accumulate=*/false, out, y);
}

EQUIMOL_CLONES void linear_accumulate(const float* x, std::int64_t rows, std::int64_t in, const float* wt,
                                      std::int64_t out, float* y) {
  gemm(x, rows, in, wt, nullptr, /*accumulate=*/true, out, y);
}

EQUIMOL_CLONES void row_dot(const float* x, std::int64_t rows, std::int64_t in, const float* w, float* y) {
  for (std::int64_t r = 0; r < rows; ++r) y[r] = dot(x + r * in, w, in);
}

EQUIMOL_CLONES void gather_edges(const float* a, const float* b, const std::int64_t* row, const std::int64_t* col,
                                 const float* radial, const float* w, std::int64_t edges, std::int64_t width,
                                 float* out) {
  for (std::int64_t e = 0; e < edges; ++e) {
    const float* __restrict ar = a + row[e] * width;
    const float* __restrict br = b + col[e] * width;
    float* __restrict o = out + e * width;
    const float r = radial[e];
    for (std::int64_t k = 0; k < width; ++k) o[k] = ar[k] + br[k] + r * w[k];
  }
}

EQUIMOL_CLONES void scatter_add_rows(const float* data, const std::int64_t* index, std::int64_t rows,
                                     std::int64_t width, float* out, std::int64_t out_stride) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* __restrict source = data + r * width;
    float* __restrict target = out + index[r] * out_stride;
    for (std::int64_t k = 0; k < width; ++k) target[k] += source[k];
  }
}

EQUIMOL_CLONES void sigmoid(float* data, std::int64_t n) {
  map_lanes(data, n, [](Lanes x) { return 1.0f / (1.0f + exp_lanes(-x)); });
}

EQUIMOL_CLONES void tanh(float* data, std::int64_t n) {
  // 1 - 2 / (exp(2x) + 1): saturates to +-1 without overflow; absolute error ~1e-7 near 0.
  map_lanes(data, n, [](Lanes x) { return 1.0f - 2.0f / (exp_lanes(2.0f * x) + 1.0f); });
}

namespace {

EQUIMOL_CLONES void silu(float* data, std::int64_t n) {
  map_lanes(data, n, [](Lanes x) { return x / (1.0f + exp_lanes(-x)); });
}

EQUIMOL_CLONES void relu(float* data, std::int64_t n) {
  map_lanes(data, n, [](Lanes x) { return x > 0.0f ? x : Lanes{}; });
}

}  // namespace

void activate(float* data, std::int64_t n, Activation activation) {
  switch (activation) {
    case Activation::kSiLU: return silu(data, n);
    case Activation::kReLU: return relu(data, n);
    case Activation::kTanh: return tanh(data, n);
  }
}

}  // namespace equimol::models::kernels
