// Unit conversions. Inside EquiMol: Å, eV, eV/Å, fs. Hartree and Bohr only at the xtb boundary.
#pragma once

namespace equimol::units {

inline constexpr double kHartreeToEv = 27.211386245988;   // CODATA 2018
inline constexpr double kBohrToAngstrom = 0.529177210903;  // CODATA 2018
inline constexpr double kAngstromToBohr = 1.0 / kBohrToAngstrom;
inline constexpr double kEvToHartree = 1.0 / kHartreeToEv;
inline constexpr double kKcalPerMolToEv = 0.0433641043;   // 1 kcal/mol in eV
inline constexpr double kEvToKcalPerMol = 1.0 / kKcalPerMolToEv;
/// Hartree/Bohr -> eV/Å.
inline constexpr double kHartreePerBohrToEvPerAngstrom = kHartreeToEv / kBohrToAngstrom;

}  // namespace equimol::units
