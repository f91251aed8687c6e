// Calculators by their command-line name.
#pragma once

#include <memory>
#include <string>

#include "calculator.h"

namespace equimol {

/// "gfn2" | "gfn1" | "gfnff" (xtb, `xtb_threads` OpenMP threads) | "lj" (Lennard-Jones, ε = σ = 1).
/// Throws InputError naming an unknown method.
std::unique_ptr<Calculator> make_calculator(const std::string& method, int xtb_threads = 1);

/// True for reduced-unit models of atomic clusters (no chemistry: no SMILES, contact graphs).
bool is_cluster_method(const std::string& method);

}  // namespace equimol
