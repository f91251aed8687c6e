// The design agent's fixed constants (scales, initial biases, the bonded switch), shared by the
// LibTorch agent (design_egnn_agent.cpp) and its batch-size-1 inference path (design_inference.cpp),
// which must compute the same policy. Internal to rl/.
#pragma once

#include <cstdint>

#include "chem/elements.h"

namespace equimol::rl::design_constants {

constexpr std::int64_t kEmbeddedElements = 119;  // the atomic-number embedding covers Z = 0..118
constexpr double kMasked = -1e4;           // logit of an impossible choice (finite: no NaN in gradients)
constexpr double kHalfLogTwoPi = 0.91893853320467274178;
// Distance mixture, in units of the covalent bond length R = r_cov(focus) + r_cov(element) (Cordero's
// radii, an invariant of the two elements): means in (kMinBond, kMinBond + kBondSpan)·R, initially spread
// over kFirstMean-kLastMean·R (a double bond to a single one: C=O 1.21 Å against R = 1.42 Å); standard
// deviations in (kMinStd, kMinStd + kStdSpan) Å, initially kMinStd + kStdSpan·sigmoid(kStdBias).
constexpr double kMinBond = 0.6, kBondSpan = 1.0, kFirstMean = 0.85, kLastMean = 1.1;
constexpr double kMinStd = 0.02, kStdSpan = 0.3, kStdBias = -1.0;
// Direction laws: κ = kKappaScale·softplus(·); cone a, b = 1 + kConeScale·softplus(·) (≈ 15 at start:
// a band of about ±10° around a right angle to the axis). The scales let a head output of a few units
// reach the sharpness bond angles need (κ ~ 100s); at 10 and 4 the greedy molecules of 12k-step runs
// were often invalid. Both fade to the uniform law as the axis vanishes:
// weight |v|² / (|v|² + kAxisScale²).
constexpr double kKappaScale = 50.0, kConeScale = 20.0, kAxisScale = 0.01;
constexpr double kBagScale = 0.25;  // bag counts enter the network scaled by this
// The away axis of a focus atom f: a_f = Σ_j s(d_fj / R_fj) (x_f − x_j) / d_fj, the sum of the unit
// vectors from its bonded neighbours, s(x) = sigmoid(kBondSwitch·(kBonded − x)) (1 up to about 1.2
// covalent bond lengths, 0 beyond 1.5). An sp³ atom's fourth bond points along it; the bond angles of its
// second and third bonds are cones about it. Laws on it fade to uniform as |a_f| → 0 (scale kAwayScale).
constexpr double kBonded = 1.35, kBondSwitch = 15.0, kAwayScale = 0.1;
// Initial bias of the away laws: their logits start kAwayLogit above the others', and the away cone's
// (a, b) start at 1 + kConeScale·softplus(kAwayConeA, kAwayConeB) = (22, 9.6), a mode 65° off the axis
// (between the tetrahedral 70.5° of a second bond and the 60° of a trigonal one).
constexpr double kAwayLogit = 1.5, kAwayConeA = 0.619, kAwayConeB = -0.62;

/// The covalent radius (Å, Cordero) the agent measures bonds in; 0 beyond chem's table (Z > 86), so that
/// the embedding's whole range Z = 0..118 has a value.
inline double covalent_radius_ang(int z) {
  return z >= 1 && z <= equimol::kMaxAtomicNumber ? element(z).covalent_radius_ang : 0.0;
}

}  // namespace equimol::rl::design_constants
