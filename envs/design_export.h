// Files of a design campaign, for people and other tools:
//   DIR/molecules.sdf     the distinct valid molecules, best first (bonds as perceived, SMILES and
//                         energies as SDF properties); relaxed structures when the campaign relaxed them
//   DIR/molecules.extxyz  the same structures as extended XYZ (ASE reads energy in eV)
//   DIR/top.svg           RDKit grid drawing of the best `top` of them, SMILES and energies as legends
#pragma once

#include <string>

#include "envs/design_campaign.h"

namespace equimol::envs {

struct DesignExport {
  int top = 12;  ///< molecules drawn in top.svg
};

void export_design(const DesignSummary& summary, const std::string& dir, const DesignExport& options = {});

}  // namespace equimol::envs
