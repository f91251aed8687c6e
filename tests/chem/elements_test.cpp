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
}

}  // namespace
}  // namespace equimol
