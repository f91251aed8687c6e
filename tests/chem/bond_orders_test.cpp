#include <gtest/gtest.h>

#include "chem/bond_orders.h"

namespace equimol {
namespace {

BondGraph chain(int n) {
  BondGraph g{n, {}};
  for (int i = 0; i + 1 < n; ++i) g.bonds.emplace_back(i, i + 1);
  return g;
}

TEST(BondOrders, AcetyleneCarbonsGetATripleBond) {
  // H-C-C-H: each carbon has two neighbours and needs two more bonds.
  const auto a = assign_bond_orders({1, 6, 6, 1}, chain(4), 0);
  EXPECT_EQ(a.orders, (std::vector<int>{1, 3, 1}));
  EXPECT_EQ(a.radicals, (std::vector<int>(4, 0)));
}

TEST(BondOrders, BenzeneRingAlternates) {
  BondGraph ring{6, {}};
  for (int i = 0; i < 6; ++i) ring.bonds.emplace_back(std::min(i, (i + 1) % 6), std::max(i, (i + 1) % 6));
  // Carbons only: each needs one double bond (hydrogens omitted, so each has valence 4 - 2 = 2 open;
  // add a hydrogen each to make it benzene).
  BondGraph benzene = ring;
  std::vector<int> numbers(6, 6);
  for (int i = 0; i < 6; ++i) {
    numbers.push_back(1);
    benzene.bonds.emplace_back(i, 6 + i);
  }
  benzene.n_atoms = 12;
  const auto a = assign_bond_orders(numbers, benzene, 0);
  int doubles = 0;
  for (size_t b = 0; b < 6; ++b) doubles += a.orders[b] == 2;
  EXPECT_EQ(doubles, 3);
  for (int r : a.radicals) EXPECT_EQ(r, 0);
}

TEST(BondOrders, MethylIsARadicalAndAnionWhenCharged) {
  BondGraph methyl{4, {{0, 1}, {0, 2}, {0, 3}}};
  EXPECT_EQ(assign_bond_orders({6, 1, 1, 1}, methyl, 0).radicals[0], 1);
  const auto anion = assign_bond_orders({6, 1, 1, 1}, methyl, -1);
  EXPECT_EQ(anion.formal_charges[0], -1);
  EXPECT_EQ(anion.radicals[0], 0);
}

// Charge separation pairs bonded atoms only: the two ends of trimethylene (CH2-CH2-CH2) stay radicals
// instead of becoming a made-up CH2(-)/CH2(+) zwitterion, and stay neutral.
TEST(BondOrders, DistantOpenAtomsStayRadicals) {
  BondGraph trimethylene{9, {{0, 1}, {1, 2}, {0, 3}, {0, 4}, {1, 5}, {1, 6}, {2, 7}, {2, 8}}};
  const auto a = assign_bond_orders({6, 6, 6, 1, 1, 1, 1, 1, 1}, trimethylene, 0);
  EXPECT_EQ(a.radicals, (std::vector<int>{1, 0, 1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(a.formal_charges, std::vector<int>(9, 0));
}

// A carbene's carbon between N and O stays a carbene, with two radical electrons (what design's
// validity refuses), rather than the ylide [NH2+]=[C-]O: a C- is paired with an onium only when terminal.
TEST(BondOrders, AminohydroxycarbeneStaysACarbene) {
  BondGraph carbene{6, {{0, 1}, {0, 2}, {1, 3}, {1, 4}, {2, 5}}};
  const auto a = assign_bond_orders({6, 7, 8, 1, 1, 1}, carbene, 0);
  EXPECT_EQ(a.radicals[0], 2);
  EXPECT_EQ(a.formal_charges, std::vector<int>(6, 0));
}

// No change may cost a bond: a neutral structure with two oxonium centres (H2O+-O+ on a C2 ring) keeps
// its C#C and its +2, rather than balancing the charge with two C- on a C=C (a "valid" nonsense).
TEST(BondOrders, ChargeIsNotBoughtWithABond) {
  // 0 O(H2), 1 O (ring), 2 C, 3 C, 4 H, 5 H
  const BondGraph graph{6, {{0, 1}, {0, 4}, {0, 5}, {1, 2}, {1, 3}, {2, 3}}};
  const auto a = assign_bond_orders({8, 8, 6, 6, 1, 1}, graph, 0);
  EXPECT_EQ(a.orders[5], 3);  // C-C
  EXPECT_EQ(a.formal_charges, (std::vector<int>{1, 1, 0, 0, 0, 0}));
}

// Ions that share no bond are paired too: Na ... Cl is Na+ and Cl-, PH4 ... Br is PH4+ and Br- (a
// four-coordinate P with nothing to double-bond to gives its fifth valence up for the charge).
TEST(BondOrders, SaltsArePairsOfIons) {
  const auto salt = assign_bond_orders({11, 17}, BondGraph{2, {}}, 0);
  EXPECT_EQ(salt.formal_charges, (std::vector<int>{+1, -1}));
  EXPECT_EQ(salt.radicals, (std::vector<int>{0, 0}));
  const BondGraph phosphonium{6, {{0, 1}, {0, 2}, {0, 3}, {0, 4}}};
  const auto bromide = assign_bond_orders({15, 1, 1, 1, 1, 35}, phosphonium, 0);
  EXPECT_EQ(bromide.formal_charges, (std::vector<int>{+1, 0, 0, 0, 0, -1}));
  EXPECT_EQ(bromide.radicals, std::vector<int>(6, 0));
}

// Like charges keep apart: butadiene's dianion is [CH2-]C=C[CH2-], not C=C[CH-][CH2-] (as many bonds and
// charges, but two negative carbons side by side).
TEST(BondOrders, LikeChargesAreNotNeighbours) {
  // carbons 0-3 in a chain; 4, 5 on C0; 6 on C1; 7 on C2; 8, 9 on C3
  const BondGraph dianion{10, {{0, 1}, {1, 2}, {2, 3}, {0, 4}, {0, 5}, {1, 6}, {2, 7}, {3, 8}, {3, 9}}};
  const auto a = assign_bond_orders({6, 6, 6, 6, 1, 1, 1, 1, 1, 1}, dianion, -2);
  EXPECT_EQ(a.formal_charges, (std::vector<int>{-1, 0, 0, -1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(a.orders[1], 2);  // C1=C2
}

// Carbon monoxide from its bare connectivity: C-/O+ with a triple bond, no carbene.
TEST(BondOrders, CarbonMonoxideIsChargeSeparatedWithATripleBond) {
  const auto a = assign_bond_orders({6, 8}, chain(2), 0);
  EXPECT_EQ(a.orders, (std::vector<int>{3}));
  EXPECT_EQ(a.formal_charges, (std::vector<int>{-1, +1}));
  EXPECT_EQ(a.radicals, (std::vector<int>{0, 0}));
}

}  // namespace
}  // namespace equimol
