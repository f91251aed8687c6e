// Options of the Symmetrizer layers (MDP homomorphic networks, van der Pol et al. 2020). Light
// header: representations are plain data and torch/arg.h only provides the chained setters.
#pragma once

#include <torch/arg.h>

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "models/activation.h"
#include "models/representation.h"

namespace equimol::models {

/// Which basis of the equivariant maps a layer's coefficients multiply.
///  kSvd: orthonormal (Frobenius), from an SVD of symmetrized random matrices (see BasisOptions).
///  kSharing: weight sharing, for monomial representations (every rho(g) a signed permutation
///    matrix, as all of CartPole's and GridWorld's): one basis matrix per orbit of weight entries,
///    S(E_ij) scaled to entries +-1, so each coefficient is one shared weight. Same span as kSvd;
///    what differs is how a per-coefficient optimiser (Adam) moves the weights: by ~lr per shared
///    entry, as in a plain MLP, where an orthonormal basis spreads a step over the orbit (lr / sqrt(orbit)
///    per entry, in rotated directions).
enum class BasisKind { kSvd, kSharing };

/// How a layer's initial coefficients are drawn.
///  kFanIn: Gaussian with entry variance gain^2 / fan_in (He-like).
///  kOrthogonal: an orthogonal matrix of the layer's full shape with the gain (torch's orthogonal_,
///    as the MLP agent's CleanRL init), projected onto the equivariant space and rescaled to the
///    orthogonal matrix's Frobenius norm. For wide layers on few inputs (CartPole's 4 -> 92) the
///    entries are then ~gain / sqrt(fan_out), not gain / sqrt(fan_in): far smaller first layers.
enum class WeightInit { kFanIn, kOrthogonal };

/// How the equivariant basis is found: `samples_per_dim` x (out.dim * in.dim) random matrices are
/// symmetrized (float64, seeded) and the right singular vectors of their stack whose singular values
/// exceed tolerance * sqrt(samples) are kept. Symmetrized N(0, 1) samples have singular values of
/// order sqrt(samples) on the equivariant subspace and ~1e-15 sqrt(samples) off it.
struct BasisOptions {
  TORCH_ARG(double, tolerance) = 1e-6;
  TORCH_ARG(std::uint64_t, seed) = 0;
  TORCH_ARG(std::int64_t, samples_per_dim) = 2;
  TORCH_ARG(BasisKind, kind) = BasisKind::kSvd;
};

/// A feature vector of `channels` copies of `rep`, channel-major: entries [c * rep.dim, (c+1) * rep.dim)
/// hold channel c. E.g. the regular representation of Z2 with 64 channels is a 128-wide hidden layer.
struct FeatureType {
  Representation rep;
  std::int64_t channels = 1;
  std::int64_t dim() const { return channels * rep.dim; }
};

struct EquivariantLinearOptions {
  EquivariantLinearOptions(FeatureType in, FeatureType out) : in_(std::move(in)), out_(std::move(out)) {}
  TORCH_ARG(FeatureType, in);
  TORCH_ARG(FeatureType, out);
  /// Add a learned bias from the invariant subspace of the output representation (absent if it is 0).
  TORCH_ARG(bool, bias) = true;
  /// Initial weights have entry variance ~ gain^2 / fan_in (He-like for gain sqrt 2).
  TORCH_ARG(double, gain) = std::sqrt(2.0);
  TORCH_ARG(WeightInit, init) = WeightInit::kFanIn;
  TORCH_ARG(BasisOptions, basis) = {};
};

struct EquivariantMLPOptions {
  explicit EquivariantMLPOptions(std::vector<FeatureType> features) : features_(std::move(features)) {}
  /// Input, hidden..., output feature types; hidden ones must be permutation representations so that
  /// the elementwise activation commutes with the group (e.g. the regular representation x channels).
  TORCH_ARG(std::vector<FeatureType>, features);
  TORCH_ARG(Activation, activation) = Activation::kReLU;
  TORCH_ARG(double, hidden_gain) = std::sqrt(2.0);
  /// Gain of the last layer (e.g. 0.01 for near-uniform initial policies, 1 for values).
  TORCH_ARG(double, output_gain) = 1.0;
  TORCH_ARG(WeightInit, init) = WeightInit::kFanIn;
  TORCH_ARG(BasisOptions, basis) = {};
};

}  // namespace equimol::models
