#include "version.h"

#include <torch/version.h>  // macros only: not the LibTorch API

#include <Eigen/Core>

#include "chem/rdkit_bridge.h"
#include "chem/xtb_calculator.h"

namespace equimol::cli {

std::string equimol_version() { return EQUIMOL_VERSION; }

std::string version_text() {
  return "equimol " + equimol_version() + "\n" +
         // The xtb release is not in its C API: pkg-config's, read when the build was configured.
         "xtb " + EQUIMOL_XTB_RELEASE + " (C API " + xtb_api_version() + ")\n" +
         "RDKit " + rdkit_version() + "\n" +
         "LibTorch " + TORCH_VERSION + "\n" +
         "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
         std::to_string(EIGEN_MINOR_VERSION);  // CLI11 ends the text with a newline
}

}  // namespace equimol::cli
