// Human-readable summary of an exploration's minima (explore and demo print it).
#pragma once

#include <ostream>
#include <string>

#include "envs/pes_registry.h"

namespace equimol::cli {

/// The `limit` lowest minima: id, energy, relative energy (kcal/mol for eV, else ε), visits, SMILES.
void print_minima(std::ostream& out, const envs::MinimaRegistry& registry, const std::string& energy_unit,
                  int limit = 20);

}  // namespace equimol::cli
