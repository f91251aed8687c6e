#include "pes_report.h"

#include <algorithm>
#include <iomanip>
#include <vector>

#include "chem/units.h"

namespace equimol::cli {

void print_minima(std::ostream& out, const envs::MinimaRegistry& registry, const std::string& energy_unit, int limit) {
  const bool molecular = energy_unit == "eV";
  const std::vector<int> order = registry.ids_by_energy();
  out << std::left << std::setw(6) << "id" << std::setw(18) << ("E (" + energy_unit + ")") << std::setw(15)
      << (molecular ? "dE (kcal/mol)" : "dE (epsilon)") << std::setw(8) << "visits" << (molecular ? "SMILES" : "") << "\n";
  for (int rank = 0; rank < std::min<int>(registry.size(), limit); ++rank) {
    const auto& r = registry.at(order[rank]);
    const double delta = r.minimum.energy - registry.lowest_energy();
    out << std::left << std::setw(6) << r.id << std::setw(18) << std::fixed << std::setprecision(6) << r.minimum.energy
        << std::setw(15) << std::setprecision(3) << (molecular ? delta * units::kEvToKcalPerMol : delta) << std::setw(8)
        << r.visits << r.smiles << "\n";
  }
  out.unsetf(std::ios::floatfield);
  if (registry.size() > limit) out << "... and " << registry.size() - limit << " more\n";
}

}  // namespace equimol::cli
