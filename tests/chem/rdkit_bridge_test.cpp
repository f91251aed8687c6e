// SMILES -> 3D -> bond graph -> canonical SMILES, for radii and xtb Wiberg graphs.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <utility>

#include "chem/bond_graph.h"
#include "chem/optimizer.h"
#include "chem/rdkit_bridge.h"
#include "chem/xtb_calculator.h"

namespace equimol {
namespace {

const std::vector<std::string> kMolecules = {
    "CCO",                    // ethanol
    "CC(=O)O",                // acetic acid
    "c1ccccc1",               // benzene
    "c1ccc2ccccc2c1",         // naphthalene
    "C#N",                    // hydrogen cyanide
    "CC#CC",                  // 2-butyne
    "O=C=O",                  // carbon dioxide
    "c1ccncc1",               // pyridine
    "c1cc[nH]c1",             // pyrrole
    "CC(=O)Nc1ccc(O)cc1",     // paracetamol
    "C[N+](=O)[O-]",          // nitromethane
    "C/C=C/C",                // trans-2-butene
    "C[C@@H](N)C(=O)O",       // L-alanine
    "FC(F)(F)Cl",             // chlorotrifluoromethane
    "OS(=O)(=O)O",            // sulfuric acid
    "C[NH3+]",                // methylammonium
    "CC(=O)[O-]",             // acetate
    // Charge-separated and onium forms (once read as carbenes, radicals or carbocations).
    "C[N+]#[C-]",             // methyl isocyanide
    "CN=[N+]=[N-]",           // methyl azide
    "C=[N+]=[N-]",            // diazomethane
    "[O-][N+]#N",             // nitrous oxide
    "[C-]#[O+]",              // carbon monoxide
    "O=[O+][O-]",             // ozone
    "C[n+]1ccccc1",           // N-methylpyridinium
    "CC(C)=[OH+]",            // protonated acetone
    "NC(=O)C=[NH2+]",         // an iminium
    "[NH3+]CC(=O)[O-]",       // glycine zwitterion
    "C[C+](C)C",              // tert-butyl cation
    // Four-coordinate phosphorus is P(V) unless nothing is left to take its fifth bond.
    "OP(=O)(O)O",             // phosphoric acid
    "CP(C)(C)=O",             // trimethylphosphine oxide
    "C[P+](C)(C)C",           // tetramethylphosphonium
    "CS(C)=O",                // dimethyl sulfoxide
    "[O-]S(=O)(=O)[O-]",      // sulfate
};

class SmilesRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(SmilesRoundTrip, EmbeddedStructureGivesBackTheCanonicalSmiles) {
  const std::string smiles = GetParam();
  const Atoms atoms = atoms_from_smiles(smiles, 42);
  EXPECT_EQ(canonical_smiles(atoms, bonds_from_covalent_radii(atoms)), canonicalize_smiles(smiles));
  EXPECT_EQ(fragment_count(bonds_from_covalent_radii(atoms)), 1);
  EXPECT_TRUE(passes_sanitization(atoms, bonds_from_covalent_radii(atoms)));
}

INSTANTIATE_TEST_SUITE_P(Molecules, SmilesRoundTrip, ::testing::ValuesIn(kMolecules),
                         [](const auto& info) { return "mol" + std::to_string(info.index); });

// A wider set, read from tests/data: every structure's Lewis formula comes back from its 3D atoms.
TEST(RdkitBridge, LewisStructuresComeBackFrom3d) {
  std::ifstream list(std::string(EQUIMOL_TEST_DATA_DIR) + "/lewis_structures.smi");
  std::string smiles;
  int read = 0;
  while (std::getline(list, smiles)) {
    if (smiles.empty() || smiles[0] == '#') continue;
    ++read;
    const Atoms atoms = atoms_from_smiles(smiles, 42);
    EXPECT_EQ(canonical_smiles(atoms, bonds_from_covalent_radii(atoms)), canonicalize_smiles(smiles)) << smiles;
  }
  EXPECT_EQ(read, 121);
}

TEST(RdkitBridge, WibergGraphOfRelaxedMoleculeGivesTheSameSmiles) {
  for (const std::string smiles : {"CC(=O)Nc1ccccc1", "OCC=O", "C1CC1C#N"}) {
    XtbCalculator calculator;
    const OptimizeResult relaxed = Lbfgs(OptimizerOptions{}).run(calculator, atoms_from_smiles(smiles, 1));
    ASSERT_TRUE(relaxed.converged) << smiles;
    const Results& r = calculator.calculate(relaxed.atoms, Property::kEnergy | Property::kBondOrders);
    ASSERT_TRUE(r.ok) << r.error;
    const BondGraph wiberg = bonds_from_wiberg(r.bond_orders);
    EXPECT_EQ(wiberg, bonds_from_covalent_radii(relaxed.atoms)) << smiles;
    EXPECT_EQ(canonical_smiles(relaxed.atoms, wiberg), canonicalize_smiles(smiles));
  }
}

TEST(RdkitBridge, EmbeddingIsSeededAndChargesAreRead) {
  const Atoms a = atoms_from_smiles("CCCCO", 7), b = atoms_from_smiles("CCCCO", 7);
  EXPECT_EQ(a.positions, b.positions);
  EXPECT_EQ(atoms_from_smiles("CC(=O)[O-]", 1).charge, -1);
  EXPECT_EQ(atoms_from_smiles("[CH3]", 1).uhf, 1);
  EXPECT_EQ(atoms_from_smiles("CCO", 1).size(), 9);  // hydrogens added
}

TEST(RdkitBridge, InvalidSmilesIsAnInputError) {
  for (const std::string bad : {"C1CC", "not a smiles", "", "C(C", "[Xx]"}) {
    try {
      atoms_from_smiles(bad);
      FAIL() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("invalid SMILES '" + bad + "'"), std::string::npos) << e.what();
    }
  }
}

// RDKit throws with its reason for chemistry it refuses; the message keeps it, on one line.
TEST(RdkitBridge, InvalidSmilesSaysWhyWhenRdkitDoes) {
  for (const auto& [bad, reason] : {std::pair<std::string, std::string>{"C(C)(C)(C)(C)C", "valence for atom # 0 C, 5"},
                                    {"c1cccc1", "kekulize"}}) {
    try {
      atoms_from_smiles(bad);
      FAIL() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      const std::string message = e.what();
      EXPECT_EQ(message.rfind("invalid SMILES '" + bad + "' (", 0), 0u) << message;
      EXPECT_NE(message.find(reason), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  }
}

}  // namespace
}  // namespace equimol
