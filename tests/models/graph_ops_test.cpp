#include "models/graph_ops.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <utility>

#include "model_test_util.h"

namespace equimol::models {
namespace {

using testing::max_error;
using Edge = std::pair<std::int64_t, std::int64_t>;

std::set<Edge> edge_set(const torch::Tensor& edges) {
  std::set<Edge> s;
  const auto a = edges.accessor<std::int64_t, 2>();
  for (std::int64_t e = 0; e < edges.size(1); ++e) s.insert({a[0][e], a[1][e]});
  return s;
}

TEST(GraphOps, SegmentSumAddsRowsPerSegment) {
  const auto data = torch::tensor({1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0}, torch::kFloat64).view({4, 2});
  const auto ids = torch::tensor({2, 0, 2, 2}, torch::kInt64);
  // segment 0: row 1 = (3, 4); segment 1: empty; segment 2: rows 0, 2, 3 = (1+5+7, 2+6+8).
  const auto expected = torch::tensor({3.0, 4.0, 0.0, 0.0, 13.0, 16.0}, torch::kFloat64).view({3, 2});
  EXPECT_EQ(max_error(segment_sum(data, ids, 3), expected), 0.0);
}

TEST(GraphOps, SegmentMeanDividesByCountAndLeavesEmptySegmentsZero) {
  const auto data = torch::tensor({1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0}, torch::kFloat64).view({4, 2});
  const auto ids = torch::tensor({2, 0, 2, 2}, torch::kInt64);
  const auto expected = torch::tensor({3.0, 4.0, 0.0, 0.0, 13.0 / 3, 16.0 / 3}, torch::kFloat64).view({3, 2});
  EXPECT_LT(max_error(segment_mean(data, ids, 3), expected), 1e-15);
}

TEST(GraphOps, SegmentSumKeepsTrailingDimensions) {
  const auto data = torch::ones({5, 2, 3}, torch::kFloat64);
  const auto out = segment_sum(data, torch::tensor({0, 1, 1, 1, 0}, torch::kInt64), 2);
  ASSERT_EQ(out.sizes(), (std::vector<std::int64_t>{2, 2, 3}));
  EXPECT_EQ(out[0][1][2].item<double>(), 2.0);
  EXPECT_EQ(out[1][0][0].item<double>(), 3.0);
}

TEST(GraphOps, BatchFromSizesLaysGraphsOneAfterAnother) {
  const auto batch = batch_from_sizes({2, 0, 3});
  EXPECT_TRUE(torch::equal(batch, torch::tensor({0, 0, 2, 2, 2}, torch::kInt64)));
  EXPECT_THROW(batch_from_sizes({2, -1}), std::invalid_argument);
}

TEST(GraphOps, CompleteGraphHasAllOrderedPairsWithinEachGraph) {
  const auto edges = complete_graph_edges(std::vector<std::int64_t>{3, 1, 2});
  ASSERT_EQ(edges.size(0), 2);
  EXPECT_EQ(edges.size(1), 3 * 2 + 0 + 2 * 1);  // n (n - 1) per graph
  const std::set<Edge> expected = {{0, 1}, {0, 2}, {1, 0}, {1, 2}, {2, 0}, {2, 1}, {4, 5}, {5, 4}};
  EXPECT_EQ(edge_set(edges), expected);
}

TEST(GraphOps, CompleteGraphFromUnsortedBatchVector) {
  const auto batch = torch::tensor({1, 0, 1, 0, 1}, torch::kInt64);  // graph 0: {1, 3}, graph 1: {0, 2, 4}
  const std::set<Edge> expected = {{1, 3}, {3, 1}, {0, 2}, {0, 4}, {2, 0}, {2, 4}, {4, 0}, {4, 2}};
  EXPECT_EQ(edge_set(complete_graph_edges(batch)), expected);
}

TEST(GraphOps, CompleteGraphFromSizesEqualsFromBatch) {
  const std::vector<std::int64_t> sizes = {12, 12, 5};
  EXPECT_TRUE(torch::equal(complete_graph_edges(sizes), complete_graph_edges(batch_from_sizes(sizes))));
}

TEST(GraphOps, RadiusGraphMatchesBruteForce) {
  auto gen = testing::generator(7);
  const auto x = torch::rand({20, 3}, gen, torch::kFloat64) * 3.0;
  const auto batch = batch_from_sizes({8, 12});
  const double cutoff = 1.5;
  std::set<Edge> expected;
  for (std::int64_t i = 0; i < 20; ++i) {
    for (std::int64_t j = 0; j < 20; ++j) {
      const bool same = batch[i].item<std::int64_t>() == batch[j].item<std::int64_t>();
      if (i != j && same && (x[i] - x[j]).norm().item<double>() < cutoff) expected.insert({i, j});
    }
  }
  const auto edges = radius_graph_edges(x, batch, cutoff);
  EXPECT_EQ(edge_set(edges), expected);
  EXPECT_GT(expected.size(), 20u);  // the cutoff keeps a fair share of pairs, so the check means something
  EXPECT_LT(expected.size(), 8u * 7 + 12 * 11);
  EXPECT_THROW(radius_graph_edges(x, batch, 0.0), std::invalid_argument);
}

TEST(GraphOps, MakeGraphPrecomputesDegreesAndGraphSizes) {
  const auto batch = batch_from_sizes({3, 2});
  const auto g = make_graph(complete_graph_edges(std::vector<std::int64_t>{3, 2}), batch, 3, torch::kFloat64);
  EXPECT_EQ(g.num_nodes, 5);
  EXPECT_EQ(g.num_graphs, 3);
  const auto inv_degree = torch::tensor({0.5, 0.5, 0.5, 1.0, 1.0}, torch::kFloat64).unsqueeze(1);
  EXPECT_EQ(max_error(g.inv_degree, inv_degree), 0.0);
  const auto inv_size = torch::tensor({1.0 / 3, 0.5, 1.0}, torch::kFloat64).unsqueeze(1);  // graph 2 is empty
  EXPECT_LT(max_error(g.inv_graph_size, inv_size), 1e-16);
}

TEST(GraphOps, MakeGraphRejectsBadInput) {
  const auto batch = batch_from_sizes({3});
  EXPECT_THROW(make_graph(torch::tensor({0, 3}, torch::kInt64).view({2, 1}), batch, 1), std::invalid_argument);
  EXPECT_THROW(make_graph(torch::zeros({3, 1}, torch::kInt64), batch, 1), std::invalid_argument);
  EXPECT_THROW(make_graph(torch::zeros({2, 1}, torch::kInt32), batch, 1), std::invalid_argument);
  EXPECT_THROW(make_graph(torch::zeros({2, 1}, torch::kInt64), batch, 0), std::invalid_argument);
}

TEST(GraphOps, PoolSumsOrAveragesPerGraph) {
  const auto batch = batch_from_sizes({2, 3});
  const auto g = make_graph(complete_graph_edges(batch), batch, 2, torch::kFloat64);
  const auto h = torch::tensor({1.0, 2.0, 3.0, 4.0, 5.0}, torch::kFloat64).unsqueeze(1);
  EXPECT_EQ(max_error(pool(h, g, Pooling::kSum), torch::tensor({3.0, 12.0}, torch::kFloat64).unsqueeze(1)), 0.0);
  EXPECT_LT(max_error(pool(h, g, Pooling::kMean), torch::tensor({1.5, 4.0}, torch::kFloat64).unsqueeze(1)), 1e-15);
}

}  // namespace
}  // namespace equimol::models
