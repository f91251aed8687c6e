// Exports of an exploration: the minima by energy (extended XYZ and, for molecules, SDF) and the
// reaction network (JSON, GraphViz DOT, and an SVG energy diagram with nodes labelled by SMILES and
// relative energy).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "envs/pes_registry.h"

namespace equimol::envs {

struct NetworkExport {
  std::string energy_unit = "eV";  ///< "eV" (relative energies shown in kcal/mol) or "epsilon"
  /// How the campaign was run (method, agent, seed, start, ...), recorded in network.json.
  std::map<std::string, std::string> campaign;
};

/// Writes DIR/minima.extxyz, DIR/network.json, DIR/network.dot and DIR/network.svg; for molecules
/// (minima with SMILES) also DIR/minima.sdf, the same minima with their bonds and properties.
void export_network(const MinimaRegistry& registry, const std::vector<Transition>& transitions,
                    const std::string& dir, const NetworkExport& options);

/// The same pieces, each to a string (for tests and other front ends).
std::string network_json(const MinimaRegistry& registry, const std::vector<Transition>& transitions,
                         const NetworkExport& options);
std::string network_dot(const MinimaRegistry& registry, const std::vector<Transition>& transitions,
                        const NetworkExport& options);
std::string network_svg(const MinimaRegistry& registry, const std::vector<Transition>& transitions,
                        const NetworkExport& options);

}  // namespace equimol::envs
