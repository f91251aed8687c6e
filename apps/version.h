// What `equimol --version` prints and what runs record about the software that made them.
#pragma once

#include <string>

namespace equimol::cli {

/// EquiMol's release, e.g. "0.1.0" (the CMake project version).
std::string equimol_version();

/// One line per component: EquiMol, then xtb, RDKit, LibTorch and Eigen as built against.
std::string version_text();

}  // namespace equimol::cli
