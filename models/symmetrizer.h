// The Symmetrizer: bases of equivariant linear maps between two representations of a finite group.
// A map W: in -> out is equivariant when K_g W = W L_g for all g. The group average
//   S(W) = 1/|G| sum_g K_g^-1 W L_g
// is a projection onto those maps, so the span of many symmetrized random matrices is the whole
// equivariant space; an SVD of their stack gives an orthonormal basis (in the Frobenius product).
#pragma once

#include <torch/torch.h>

#include "models/representation.h"
#include "models/symmetrizer_options.h"

namespace equimol::models {

/// The matrices of `rep` as a float64 tensor [|G|, dim, dim].
torch::Tensor to_tensor(const Representation& rep);

/// S(W) for W [..., out.dim, in.dim] float64. Throws std::invalid_argument on mismatched groups or shapes.
torch::Tensor symmetrize(const torch::Tensor& w, const Representation& in, const Representation& out);

/// Basis of the equivariant maps in -> out, [B, out.dim, in.dim] float64; B = 0 when the only
/// equivariant map is zero. options.kind kSvd: orthonormal, deterministic for a given options.seed.
/// kSharing: the weight-sharing basis (one +-1 matrix per orbit of entries, ordered by the orbit's
/// first entry; mutually orthogonal, not normalised); throws std::invalid_argument unless both
/// representations are monomial (signed permutation matrices).
torch::Tensor equivariant_basis(const Representation& in, const Representation& out, const BasisOptions& options = {});

}  // namespace equimol::models
