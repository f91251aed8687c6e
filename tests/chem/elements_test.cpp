#include <gtest/gtest.h>

#include "chem/atoms.h"
#include "chem/elements.h"

namespace equimol {
namespace {

TEST(Elements, TableCoversHydrogenToRadon) {
  EXPECT_EQ(element(1).symbol, "H");
  EXPECT_NEAR(element(1).mass_amu, 1.008, 1e-3);
  EXPECT_NEAR(element(6).covalent_radius_ang, 0.76, 1e-12);
  EXPECT_EQ(element(86).symbol, "Rn");
  EXPECT_EQ(atomic_number("Cl"), 17);
  EXPECT_EQ(atomic_number("cl"), 17);
  EXPECT_EQ(atomic_number("BR"), 35);
  EXPECT_THROW(element(0), std::invalid_argument);
  EXPECT_THROW(element(87), std::invalid_argument);
  EXPECT_THROW(atomic_number("Xx"), std::invalid_argument);
  for (int z = 1; z <= kMaxAtomicNumber; ++z) {
    EXPECT_EQ(atomic_number(element(z).symbol), z);
    EXPECT_GT(element(z).mass_amu, 0.9);
  }
}

// Uranium is a real element that GFN does not cover, not an "unknown" one; a typo is unknown.
TEST(Elements, HeavierThanRadonIsNamedAsSuch) {
  EXPECT_EQ(unknown_element_message("U"), "element 'U' (Z = 92) is beyond radon, where xtb's GFN methods stop");
  EXPECT_EQ(unknown_element_message("og"), "element 'og' (Z = 118) is beyond radon, where xtb's GFN methods stop");
  EXPECT_EQ(unknown_element_message("87"), "element '87' (Z = 87) is beyond radon, where xtb's GFN methods stop");
  EXPECT_EQ(unknown_element_message("Xx"), "unknown element 'Xx'");
  EXPECT_EQ(unknown_element_message("119"), "unknown element '119'");
  try {
    atomic_number("U");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("beyond radon"), std::string::npos) << e.what();
  }
}

TEST(Atoms, FormulaInHillOrder) {
  Atoms ethanol({6, 6, 8, 1, 1, 1, 1, 1, 1}, Positions::Random(9, 3) * 5);
  EXPECT_EQ(chemical_formula(ethanol), "C2H6O");
  Atoms water({8, 1, 1}, Positions::Random(3, 3) * 5);
  EXPECT_EQ(chemical_formula(water), "H2O");
}

TEST(Atoms, ValidateNamesTheProblem) {
  Atoms a({8, 1}, Positions::Zero(2, 3));
  try {
    validate(a, "in.xyz");
    FAIL() << "coincident atoms accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("same place"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("in.xyz"), std::string::npos) << e.what();
  }
  a.positions(1, 0) = std::nan("");
  EXPECT_THROW(validate(a, "x"), std::invalid_argument);
}

// The one electron check that the CLI's structures and PesEnvOptions share.
TEST(Atoms, ElectronCountProblemNamesWhatIsWrong) {
  Atoms water({8, 1, 1}, Positions::Random(3, 3) * 5);  // 10 electrons
  EXPECT_EQ(electron_count_problem(water), "");
  water.uhf = -1;
  EXPECT_EQ(electron_count_problem(water), "uhf must be >= 0, got -1");
  water.uhf = 1;
  EXPECT_EQ(electron_count_problem(water), "10 electrons cannot have 1 unpaired (uhf must have the parity of the electron count and not exceed it)");
  water.uhf = 0;
  water.charge = 10;
  EXPECT_EQ(electron_count_problem(water), "charge 10 leaves no electrons: the nuclei add up to +10");
  // xtb counts valence electrons only (8 in water: O's 1s pair is core).
  water.charge = 8;
  EXPECT_EQ(electron_count_problem(water),
            "charge 8 leaves 0 valence electrons: xtb treats only valence electrons (8 here), the core ones count with the nuclei");
  water.charge = 7;
  water.uhf = 1;
  EXPECT_EQ(electron_count_problem(water), "");
  water.uhf = 3;
  EXPECT_EQ(electron_count_problem(water),
            "charge 7 leaves 1 valence electrons for uhf 3: xtb treats only valence electrons (8 here), the core ones count with the nuclei");
}

// The valence electrons the check counts are xtb's: its "# electrons" for single neutral atoms
// (xtb 6.5.1 --sp), read here from the check's message at the charge that empties them.
TEST(Atoms, ValenceElectronsAreThoseXtbCounts) {
  const std::vector<std::pair<int, int>> xtb_counts = {
      {2, 2},  {3, 1},  {10, 8}, {11, 1}, {18, 8}, {19, 1}, {20, 2}, {21, 3}, {22, 4}, {24, 6},  {26, 8},  {29, 11},
      {30, 2}, {31, 3}, {36, 8}, {37, 1}, {39, 3}, {46, 10}, {47, 11}, {48, 2}, {49, 3}, {54, 8}, {55, 1}, {56, 2},
      {57, 3}, {58, 3}, {71, 3}, {72, 4}, {77, 9}, {78, 10}, {79, 11}, {80, 2}, {81, 3}, {86, 8}};
  for (const auto& [z, valence] : xtb_counts) {
    Atoms atom({z}, Positions::Zero(1, 3));
    atom.charge = valence;  // He has no core: no electrons at all are left, and the message says that
    const std::string named = z > 2 ? "(" + std::to_string(valence) + " here)" : "leaves no electrons";
    EXPECT_NE(electron_count_problem(atom).find(named), std::string::npos) << "Z = " << z << ": " << electron_count_problem(atom);
    atom.charge = valence - 1;
    atom.uhf = 1;
    EXPECT_EQ(electron_count_problem(atom), "") << "Z = " << z;
  }
}

}  // namespace
}  // namespace equimol
