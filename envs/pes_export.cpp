#include "envs/pes_export.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>
#include <stdexcept>

#include "chem/rdkit_bridge.h"
#include "chem/text_file.h"
#include "chem/units.h"
#include "chem/xyz_io.h"

namespace equimol::envs {
namespace {

struct Edge {
  int count = 0;
  bool bond_change = false;
};

// Transitions between different minima, counted per ordered pair.
std::map<std::pair<int, int>, Edge> edges(const std::vector<Transition>& transitions) {
  std::map<std::pair<int, int>, Edge> out;
  for (const auto& t : transitions) {
    if (t.to < 0 || t.to == t.from) continue;
    Edge& e = out[{t.from, t.to}];
    ++e.count;
    e.bond_change |= t.bond_change;
  }
  return out;
}

// Relative energy in the unit shown to people: kcal/mol for molecules, ε for clusters.
double relative(const MinimaRegistry& registry, int id, const NetworkExport& options) {
  const double delta = registry.at(id).minimum.energy - registry.lowest_energy();
  return options.energy_unit == "eV" ? delta * units::kEvToKcalPerMol : delta;
}

std::string relative_unit(const NetworkExport& options) {
  return options.energy_unit == "eV" ? "kcal/mol" : "epsilon";
}

// "#3 C=CCO": conformers share a SMILES, so the id tells them apart.
std::string label(const MinimumRecord& record) {
  return "#" + std::to_string(record.id) + (record.smiles.empty() ? "" : " " + record.smiles);
}

// A round axis step (1, 2 or 5 times a power of ten) that covers [0, top] in at most five steps.
double axis_step(double top) {
  const double magnitude = std::pow(10.0, std::floor(std::log10(top / 5.0)));
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (factor * magnitude * 5.0 >= top) return factor * magnitude;
  }
  return 10.0 * magnitude;
}

std::string escape_dot(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string escape_xml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string network_json(const MinimaRegistry& registry, const std::vector<Transition>& transitions,
                         const NetworkExport& options) {
  nlohmann::json j;
  if (!options.campaign.empty()) j["campaign"] = options.campaign;
  j["energy_unit"] = options.energy_unit;
  j["relative_energy_unit"] = relative_unit(options);
  j["lowest_energy"] = registry.size() ? registry.lowest_energy() : 0.0;
  j["minima"] = nlohmann::json::array();
  for (int id : registry.ids_by_energy()) {
    const MinimumRecord& r = registry.at(id);
    j["minima"].push_back({{"id", r.id},
                           {"energy", r.minimum.energy},
                           {"relative_energy", relative(registry, id, options)},
                           {"smiles", r.smiles},
                           {"graph_hash", r.graph_hash},
                           {"n_bonds", r.minimum.graph.bonds.size()},
                           {"first_step", r.first_step},
                           {"visits", r.visits}});
  }
  j["transitions"] = nlohmann::json::array();
  for (const auto& [pair, edge] : edges(transitions)) {
    j["transitions"].push_back(
        {{"from", pair.first}, {"to", pair.second}, {"count", edge.count}, {"bond_change", edge.bond_change}});
  }
  std::map<std::string, long> outcomes;
  for (const auto& t : transitions) ++outcomes[t.outcome];
  j["steps"] = transitions.size();
  j["outcomes"] = outcomes;
  return j.dump(2) + "\n";
}

std::string network_dot(const MinimaRegistry& registry, const std::vector<Transition>& transitions,
                        const NetworkExport& options) {
  std::ostringstream out;
  out << "digraph pes {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n";
  for (int id : registry.ids_by_energy()) {
    out << "  m" << id << " [label=\"" << escape_dot(label(registry.at(id))) << "\\n"
        << fixed_decimals(relative(registry, id, options), 2) << " " << relative_unit(options) << "\"];\n";
  }
  for (const auto& [pair, edge] : edges(transitions)) {
    out << "  m" << pair.first << " -> m" << pair.second << " [label=\"" << edge.count << "\""
        << (edge.bond_change ? ", color=red" : "") << "];\n";
  }
  out << "}\n";
  return out.str();
}

// An energy diagram: minima as dots at height = relative energy, left to right in the order they were
// found, transitions as lines (red where bonds changed); the lowest kLabelled minima are labelled.
std::string network_svg(const MinimaRegistry& registry, const std::vector<Transition>& transitions,
                        const NetworkExport& options) {
  constexpr double kWidth = 960, kHeight = 640, kLeft = 90, kRight = 40, kTop = 56, kBottom = 60;
  constexpr int kLabelled = 30;
  const int n = registry.size();
  double highest = 0.0;
  for (int id = 0; id < n; ++id) highest = std::max(highest, relative(registry, id, options));
  const double step = axis_step(highest > 0.0 ? highest : 1.0);
  const int ticks = std::max(1, static_cast<int>(std::ceil(highest / step - 1e-9)));
  const double top = step * ticks;
  auto x_of = [&](int id) { return kLeft + (n > 1 ? (kWidth - kLeft - kRight) * id / (n - 1.0) : (kWidth - kLeft - kRight) / 2); };
  auto y_of = [&](int id) { return kHeight - kBottom - (kHeight - kTop - kBottom) * relative(registry, id, options) / top; };

  std::ostringstream svg;
  svg << std::fixed << std::setprecision(1);
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n";
  svg << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg << "<text x=\"" << kWidth / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">Minima found: " << n
      << ", transitions: " << edges(transitions).size() << "</text>\n";
  // Axis with round ticks.
  svg << "<line x1=\"" << kLeft - 10 << "\" y1=\"" << kTop << "\" x2=\"" << kLeft - 10 << "\" y2=\"" << kHeight - kBottom
      << "\" stroke=\"black\"/>\n";
  const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
  for (int k = 0; k <= ticks; ++k) {
    const double y = kHeight - kBottom - (kHeight - kTop - kBottom) * k / ticks;
    svg << "<text x=\"" << kLeft - 14 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">" << fixed_decimals(step * k, decimals)
        << "</text>\n";
  }
  // Clusters have contact graphs, molecules bond graphs: say which the red lines mean.
  svg << "<text x=\"" << kWidth - kRight << "\" y=\"40\" text-anchor=\"end\" fill=\"#c0392b\">red: "
      << (options.energy_unit == "eV" ? "bonds" : "contacts") << " changed</text>\n";
  svg << "<text x=\"20\" y=\"" << kHeight / 2 << "\" transform=\"rotate(-90 20 " << kHeight / 2
      << ")\" text-anchor=\"middle\">relative energy (" << relative_unit(options) << ")</text>\n";
  svg << "<text x=\"" << kWidth / 2 << "\" y=\"" << kHeight - 20 << "\" text-anchor=\"middle\">minima in the order found</text>\n";
  for (const auto& [pair, edge] : edges(transitions)) {
    svg << "<line x1=\"" << x_of(pair.first) << "\" y1=\"" << y_of(pair.first) << "\" x2=\"" << x_of(pair.second)
        << "\" y2=\"" << y_of(pair.second) << "\" stroke=\"" << (edge.bond_change ? "#c0392b" : "#7f8c8d")
        << "\" stroke-opacity=\"0.5\" stroke-width=\"" << std::min(4.0, 1.0 + std::log(1.0 + edge.count)) << "\"/>\n";
  }
  const std::vector<int> order = registry.ids_by_energy();
  for (int rank = 0; rank < n; ++rank) {
    const int id = order[rank];
    svg << "<circle cx=\"" << x_of(id) << "\" cy=\"" << y_of(id) << "\" r=\"4\" fill=\"" << (rank == 0 ? "#27ae60" : "#2c3e50")
        << "\"><title>" << escape_xml(label(registry.at(id))) << " " << fixed_decimals(relative(registry, id, options), 2) << " "
        << relative_unit(options) << "</title></circle>\n";
    if (rank < kLabelled) {  // labels of right-hand nodes run leftwards so they stay on the canvas
      const bool right_half = x_of(id) > kWidth / 2;
      svg << "<text x=\"" << x_of(id) + (right_half ? -6 : 6) << "\" y=\"" << y_of(id) - 6 << "\""
          << (right_half ? " text-anchor=\"end\"" : "") << ">" << escape_xml(label(registry.at(id))) << " ("
          << fixed_decimals(relative(registry, id, options), 1) << ")</text>\n";
    }
  }
  svg << "</svg>\n";
  return svg.str();
}

void export_network(const MinimaRegistry& registry, const std::vector<Transition>& transitions, const std::string& dir,
                    const NetworkExport& options) {
  std::vector<Atoms> frames;
  std::vector<BondGraph> graphs;
  bool molecules = registry.size() > 0;
  for (int id : registry.ids_by_energy()) {
    const MinimumRecord& r = registry.at(id);
    Atoms atoms = r.minimum.atoms;
    atoms.info.clear();
    atoms.info["id"] = std::to_string(r.id);
    atoms.info["energy"] = fixed_decimals(r.minimum.energy, 8);
    atoms.info["relative_energy"] = fixed_decimals(relative(registry, id, options), 4);
    atoms.info["relative_energy_unit"] = relative_unit(options);
    if (!r.smiles.empty()) atoms.info["smiles"] = r.smiles;
    atoms.info["first_step"] = std::to_string(r.first_step);
    atoms.info["visits"] = std::to_string(r.visits);
    atoms.info["energy_unit"] = options.energy_unit;  // positions in Å with eV, in σ with ε
    atoms.info["length_unit"] = options.energy_unit == "eV" ? "Angstrom" : "sigma";
    frames.push_back(std::move(atoms));
    graphs.push_back(r.minimum.graph);
    molecules &= !r.smiles.empty();
  }
  write_extxyz(dir + "/minima.extxyz", frames);
  // Molecules also as SDF, with the perceived bonds, for chemistry viewers; clusters have no bonds to show.
  if (molecules) write_sdf(dir + "/minima.sdf", frames, graphs);
  write_text_file(dir + "/network.json", network_json(registry, transitions, options));
  write_text_file(dir + "/network.dot", network_dot(registry, transitions, options));
  write_text_file(dir + "/network.svg", network_svg(registry, transitions, options));
}

}  // namespace equimol::envs
