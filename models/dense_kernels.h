// Small dense float32 kernels for CPU inference on small graphs, torch-free. At batch size 1 an EGNN
// forward is a few dozen [E, 64] x [64, 64] products, where LibTorch's per-operator dispatch and this
// machine's OpenBLAS (generic SSE3 kernels, RESULTS.md) cost more than the arithmetic. These loops
// allocate nothing and are compiled three times (AVX-512, AVX2 + FMA, baseline x86-64); the loader
// picks the clone the CPU supports, so one binary runs everywhere.
#pragma once

#include <cstdint>

#include "models/activation.h"

namespace equimol::models::kernels {

/// y = x W^T + bias for row-major x [rows, in], wt = W^T [in, out] (the Linear weight transposed),
/// bias [out] or nullptr, y [rows, out]. y must not alias x.
void linear(const float* x, std::int64_t rows, std::int64_t in, const float* wt, const float* bias,
            std::int64_t out, float* y);

/// y += x W^T, same layout as linear().
void linear_accumulate(const float* x, std::int64_t rows, std::int64_t in, const float* wt, std::int64_t out,
                       float* y);

/// y[r] = x[r, :] . w for row-major x [rows, in] (a Linear with one output and no bias).
void row_dot(const float* x, std::int64_t rows, std::int64_t in, const float* w, float* y);

/// out[e, :] = a[row[e], :] + b[col[e], :] + radial[e] * w for e < edges; a, b [*, width] row-major,
/// w [width]: the first layer of an edge network applied per node and gathered onto the edges.
void gather_edges(const float* a, const float* b, const std::int64_t* row, const std::int64_t* col,
                  const float* radial, const float* w, std::int64_t edges, std::int64_t width, float* out);

/// out[index[r] * out_stride + k] += data[r * width + k] for r < rows, k < width (segment sums).
void scatter_add_rows(const float* data, const std::int64_t* index, std::int64_t rows, std::int64_t width,
                      float* out, std::int64_t out_stride);

/// The activation in place on n values. SiLU, tanh and sigmoid use a vectorised exp (Cephes
/// polynomial, relative error ~2e-7), ReLU is exact.
void activate(float* data, std::int64_t n, Activation activation);

/// 1 / (1 + exp(-x)) in place.
void sigmoid(float* data, std::int64_t n);

/// tanh in place.
void tanh(float* data, std::int64_t n);

}  // namespace equimol::models::kernels
