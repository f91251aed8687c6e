// Starting geometries of small Lennard-Jones clusters near their global minima (reduced units).
#pragma once

#include <cmath>

#include "chem/atoms.h"

namespace equimol::testing {

/// Pentagonal bipyramid (LJ7 global minimum, -16.505384 ε), slightly off the optimum.
inline Atoms lj7_pentagonal_bipyramid() {
  Atoms atoms;
  atoms.numbers.assign(7, 18);  // argon labels; the LJ calculator ignores the element
  atoms.positions.resize(7, 3);
  const double ring_radius = 0.95, apex_height = 0.6;
  for (int k = 0; k < 5; ++k) {
    const double phi = 2.0 * M_PI * k / 5.0;
    atoms.positions.row(k) << ring_radius * std::cos(phi), ring_radius * std::sin(phi), 0.0;
  }
  atoms.positions.row(5) << 0.0, 0.0, apex_height;
  atoms.positions.row(6) << 0.0, 0.0, -apex_height;
  return atoms;
}

/// Centred icosahedron (LJ13 global minimum, -44.326801 ε), slightly off the optimum.
inline Atoms lj13_icosahedron() {
  Atoms atoms;
  atoms.numbers.assign(13, 18);
  atoms.positions = Positions::Zero(13, 3);
  const double phi = (1.0 + std::sqrt(5.0)) / 2.0;
  const double scale = 1.05 / std::sqrt(1.0 + phi * phi);  // centre-to-vertex distance 1.05 σ
  int row = 1;
  for (int s1 : {-1, 1}) {
    for (int s2 : {-1, 1}) {
      atoms.positions.row(row++) << 0.0, s1 * 1.0, s2 * phi;
      atoms.positions.row(row++) << s1 * 1.0, s2 * phi, 0.0;
      atoms.positions.row(row++) << s2 * phi, 0.0, s1 * 1.0;
    }
  }
  atoms.positions *= scale;
  return atoms;
}

}  // namespace equimol::testing
