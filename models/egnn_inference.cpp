#include "models/egnn_inference.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "models/dense_kernels.h"

namespace equimol::models {

namespace {

constexpr float kNormEpsilon = 1e-8f;  // as EGCL's: coincident nodes get a zero direction

/// Buffers of one forward, kept per thread between calls: an agent's forwards are small and many,
/// and allocating these every call cost ~8 % of a 12-atom forward.
struct Workspace {
  std::vector<float> h, next_h;             // [N, F]
  std::vector<float> radial, direction;     // [E], [E, dim]
  std::vector<float> receiver, sender;      // [N, H]
  std::vector<float> edge_hidden, message;  // [E, H]
  std::vector<float> edge_scalar;           // [E]: attention gate, then phi_x
  std::vector<float> shift;                 // [N, dim]
  std::vector<float> node_input;            // [N, F + H]
  std::vector<float> node_hidden;           // [N, H]
  std::vector<float> node_scalar;           // [N]: phi_v
};

/// |x_i - x_j|^2 [E] and the direction x moves along, x_i - x_j or its unit vector [E, dim].
void edge_geometry(const EGCLWeights& w, const GraphArrays& g, std::int64_t dim, const float* x, Workspace& ws) {
  for (std::int64_t e = 0; e < g.num_edges; ++e) {
    const float* xi = x + g.row[e] * dim;
    const float* xj = x + g.col[e] * dim;
    float* d = ws.direction.data() + e * dim;
    float r2 = 0.0f;
    for (std::int64_t k = 0; k < dim; ++k) {
      d[k] = xi[k] - xj[k];
      r2 += d[k] * d[k];
    }
    ws.radial[e] = r2;
    if (w.normalize) {
      const float inv = 1.0f / (std::sqrt(r2) + kNormEpsilon);
      for (std::int64_t k = 0; k < dim; ++k) d[k] *= inv;
    }
  }
}

/// m_ij = phi_e(h_i, h_j, r_ij, a_ij) into ws.message [E, H]; phi_e's first layer is applied per node
/// and gathered onto the edges, as EGCLImpl does.
void messages(const EGCLWeights& w, const GraphArrays& g, const float* edge_attr, Workspace& ws) {
  const std::int64_t n = g.num_nodes, edges = g.num_edges, f = w.in_features, hid = w.hidden;
  kernels::linear(ws.h.data(), n, f, w.receiver_wt.data(), w.receiver_b.data(), hid, ws.receiver.data());
  kernels::linear(ws.h.data(), n, f, w.sender_wt.data(), nullptr, hid, ws.sender.data());
  kernels::gather_edges(ws.receiver.data(), ws.sender.data(), g.row, g.col, ws.radial.data(), w.distance_w.data(),
                        edges, hid, ws.edge_hidden.data());
  if (w.edge_features > 0) {
    kernels::linear_accumulate(edge_attr, edges, w.edge_features, w.attr_wt.data(), hid, ws.edge_hidden.data());
  }
  kernels::activate(ws.edge_hidden.data(), edges * hid, w.activation);
  kernels::linear(ws.edge_hidden.data(), edges, hid, w.message_wt.data(), w.message_b.data(), hid, ws.message.data());
  kernels::activate(ws.message.data(), edges * hid, w.activation);
  if (!w.attention) return;
  kernels::row_dot(ws.message.data(), edges, hid, w.attention_w.data(), ws.edge_scalar.data());
  for (std::int64_t e = 0; e < edges; ++e) ws.edge_scalar[e] += w.attention_b;
  kernels::sigmoid(ws.edge_scalar.data(), edges);
  for (std::int64_t e = 0; e < edges; ++e) {
    for (std::int64_t k = 0; k < hid; ++k) ws.message[e * hid + k] *= ws.edge_scalar[e];
  }
}

/// x (and v) moved by C sum_j (x_i - x_j) phi_x(m_ij); reads the layer's input h (for phi_v).
void move(const EGCLWeights& w, const GraphArrays& g, std::int64_t dim, Workspace& ws, float* x, float* v) {
  const std::int64_t n = g.num_nodes, edges = g.num_edges, hid = w.hidden;
  kernels::linear(ws.message.data(), edges, hid, w.coord_wt.data(), w.coord_b.data(), hid, ws.edge_hidden.data());
  kernels::activate(ws.edge_hidden.data(), edges * hid, w.activation);
  kernels::row_dot(ws.edge_hidden.data(), edges, hid, w.coord_out_w.data(), ws.edge_scalar.data());
  if (w.tanh) kernels::tanh(ws.edge_scalar.data(), edges);
  std::fill(ws.shift.begin(), ws.shift.end(), 0.0f);
  for (std::int64_t e = 0; e < edges; ++e) {
    for (std::int64_t k = 0; k < dim; ++k) ws.shift[g.row[e] * dim + k] += ws.direction[e * dim + k] * ws.edge_scalar[e];
  }
  if (w.mean_aggregation) {
    for (std::int64_t i = 0; i < n; ++i) {
      for (std::int64_t k = 0; k < dim; ++k) ws.shift[i * dim + k] *= g.inv_degree[i];
    }
  }
  if (!w.velocity) {
    for (std::int64_t i = 0; i < n * dim; ++i) x[i] += ws.shift[i];
    return;
  }
  kernels::linear(ws.h.data(), n, w.in_features, w.velocity_wt.data(), w.velocity_b.data(), hid, ws.node_hidden.data());
  kernels::activate(ws.node_hidden.data(), n * hid, w.activation);
  kernels::row_dot(ws.node_hidden.data(), n, hid, w.velocity_out_w.data(), ws.node_scalar.data());
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t k = 0; k < dim; ++k) {
      const std::int64_t ik = i * dim + k;
      v[ik] = ws.shift[ik] + (ws.node_scalar[i] + w.velocity_out_b) * v[ik];
      x[ik] += v[ik];
    }
  }
}

/// h_i' = (h_i +) phi_h(h_i, sum_j m_ij) into ws.h.
void update_nodes(const EGCLWeights& w, const GraphArrays& g, Workspace& ws) {
  const std::int64_t n = g.num_nodes, f = w.in_features, hid = w.hidden, width = f + hid;
  ws.node_input.assign(n * width, 0.0f);  // [h_i, sum_j m_ij]
  for (std::int64_t i = 0; i < n; ++i) std::copy_n(ws.h.data() + i * f, f, ws.node_input.data() + i * width);
  kernels::scatter_add_rows(ws.message.data(), g.row, g.num_edges, hid, ws.node_input.data() + f, width);
  kernels::linear(ws.node_input.data(), n, width, w.node_wt.data(), w.node_b.data(), hid, ws.node_hidden.data());
  kernels::activate(ws.node_hidden.data(), n * hid, w.activation);
  ws.next_h.resize(n * w.out_features);
  kernels::linear(ws.node_hidden.data(), n, hid, w.node_out_wt.data(), w.node_out_b.data(), w.out_features,
                  ws.next_h.data());
  if (w.residual) {
    for (std::size_t i = 0; i < ws.next_h.size(); ++i) ws.next_h[i] += ws.h[i];
  }
  std::swap(ws.h, ws.next_h);
}

}  // namespace

void egnn_forward(const EGNNWeights& weights, const GraphArrays& graph, std::int64_t dim, const float* h_in,
                  const float* edge_attr, float* x, float* v, float* h_out) {
  thread_local Workspace ws;
  const std::int64_t n = graph.num_nodes, edges = graph.num_edges, hid = weights.hidden;
  ws.h.resize(n * hid);
  ws.radial.resize(edges);
  ws.direction.resize(edges * dim);
  ws.receiver.resize(n * hid);
  ws.sender.resize(n * hid);
  ws.edge_hidden.resize(edges * hid);
  ws.message.resize(edges * hid);
  ws.edge_scalar.resize(edges);
  ws.shift.resize(n * dim);
  ws.node_hidden.resize(n * hid);
  ws.node_scalar.resize(n);
  kernels::linear(h_in, n, weights.in_features, weights.embedding_in_wt.data(), weights.embedding_in_b.data(), hid,
                  ws.h.data());
  for (const EGCLWeights& layer : weights.layers) {
    edge_geometry(layer, graph, dim, x, ws);
    messages(layer, graph, edge_attr, ws);
    move(layer, graph, dim, ws, x, v);
    update_nodes(layer, graph, ws);
  }
  kernels::linear(ws.h.data(), n, hid, weights.embedding_out_wt.data(), weights.embedding_out_b.data(),
                  weights.out_features, h_out);
}

}  // namespace equimol::models
