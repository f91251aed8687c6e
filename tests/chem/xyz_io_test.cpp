// XYZ / extended XYZ: round trips and every malformed input, each error naming file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <vector>

#include "chem/rdkit_bridge.h"
#include "chem/text_file.h"
#include "chem/xyz_io.h"
#include "test_support.h"

namespace equimol {
namespace {

using testing::TempDir;

std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.file(name);
  std::ofstream(path) << text;
  return path;
}

TEST(XyzIo, ExtendedXyzRoundTripKeepsEverything) {
  TempDir dir;
  Atoms a = atoms_from_smiles("CC(=O)O", 2);
  a.info["energy"] = "-393.47465572";
  a.info["smiles"] = "CC(=O)O";
  a.info["note"] = "two words";
  a.info["stereo"] = "CC(=O)/C=C\\O";   // backslashes and quotes are escaped on the comment line
  a.info["quote"] = "say \"hi\"";
  a.forces = Positions::Random(a.size(), 3);
  Atoms b = atoms_from_smiles("[NH4+]", 2);
  b.forces = Positions::Random(b.size(), 3);
  const std::string path = dir.file("frames.extxyz");
  write_extxyz(path, {a, b});
  const auto frames = read_xyz(path);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].numbers, a.numbers);
  EXPECT_LT((frames[0].positions - a.positions).cwiseAbs().maxCoeff(), 1e-9);
  ASSERT_TRUE(frames[0].forces.has_value());
  EXPECT_LT((*frames[0].forces - *a.forces).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_EQ(frames[0].info.at("energy"), "-393.47465572");
  EXPECT_EQ(frames[0].info.at("note"), "two words");
  EXPECT_EQ(frames[0].info.at("stereo"), "CC(=O)/C=C\\O");
  EXPECT_EQ(frames[0].info.at("quote"), "say \"hi\"");
  EXPECT_EQ(frames[0].info.count("pbc"), 0u);  // not carried in info: written once per frame, never twice
  EXPECT_EQ(frames[1].charge, 1);
  EXPECT_EQ(frames[1].numbers, b.numbers);
}

// ASE (Debian's python3-ase) reads the escaped values back as written: E/Z stereo survives.
TEST(XyzIo, AseReadsEscapedValues) {
  TempDir dir;
  Atoms a = atoms_from_smiles("C", 2);
  a.info["smiles"] = "CC(=O)/C=C\\O";
  a.info["quote"] = "say \"hi\"";
  const std::string path = dir.file("escaped.extxyz");
  write_extxyz(path, {a});
  const auto run = testing::run_command("/usr/bin/python3 -c \"from ase.io import read; a = read('" + path +
                                        "'); print(a.info['smiles']); print(a.info['quote'])\" 2>&1");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "CC(=O)/C=C\\O\nsay \"hi\"\n");
}

TEST(XyzIo, ReadsAseStyleHeaderAndPlainXyzWithNumbers) {
  TempDir dir;
  const std::string ase = write_file(dir, "ase.xyz",
      "2\nLattice=\"0 0 0 0 0 0 0 0 0\" Properties=species:S:1:pos:R:3:Z:I:1:forces:R:3 energy=-1.5 pbc=\"F F F\"\n"
      "H 0 0 0 1 0.1 0.2 0.3\nH 0 0 0.74 1 -0.1 -0.2 -0.3\n");
  const auto frames = read_xyz(ase);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_DOUBLE_EQ((*frames[0].forces)(1, 2), -0.3);
  EXPECT_EQ(frames[0].info.at("energy"), "-1.5");
  const std::string plain = write_file(dir, "plain.xyz", "3\n\n8 0 0 0\n1 0 0.76 0.59\n1 0 -0.76 0.59\n\n");
  EXPECT_EQ(read_xyz(plain).front().numbers, (std::vector<int>{8, 1, 1}));
}

// A plain XYZ comment "charge=1 uhf=1" sets them, as ASE reads it; free text leaves them 0.
TEST(XyzIo, PlainCommentChargeAndUhfAreRead) {
  TempDir dir;
  const auto charged = read_xyz(write_file(dir, "c.xyz", "2\ncharge=1 uhf=1\nH 0 0 0\nH 0 0 0.74\n")).front();
  EXPECT_EQ(charged.charge, 1);
  EXPECT_EQ(charged.uhf, 1);
  const auto text = read_xyz(write_file(dir, "t.xyz", "2\nhydrogen, from a paper\nH 0 0 0\nH 0 0 0.74\n")).front();
  EXPECT_EQ(text.charge, 0);
  EXPECT_EQ(text.info.at("comment"), "hydrogen, from a paper");
  const auto prose = read_xyz(write_file(dir, "p.xyz", "2\nH2, charge=0, neutral\nH 0 0 0\nH 0 0 0.74\n")).front();
  EXPECT_EQ(prose.charge, 0);  // "0," is no whole number: the comment stays prose, not an error
}

struct BadInput {
  std::string name;
  std::string text;
  std::string expected;  // in the message, after "FILE:LINE"
};

void PrintTo(const BadInput& input, std::ostream* os) { *os << input.name; }

class MalformedXyz : public ::testing::TestWithParam<BadInput> {};

TEST_P(MalformedXyz, ThrowsNamingFileLineAndProblem) {
  TempDir dir;
  const std::string path = write_file(dir, "bad.xyz", GetParam().text);
  try {
    read_xyz(path);
    FAIL() << "accepted " << GetParam().name;
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind(path + ":", 0), 0u) << message;
    EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedXyz,
    ::testing::Values(BadInput{"count", "three\nc\nH 0 0 0\n", ":1: expected a positive atom count"},
                      BadInput{"truncated", "3\nc\nO 0 0 0\nH 0 0 1\n", ":5: truncated frame: expected 3 atoms, found 2"},
                      BadInput{"element", "2\nc\nO 0 0 0\nXx 0 0 1\n", ":4: unknown element 'Xx'"},
                      BadInput{"nonnumeric", "2\nc\nO 0 0 0\nH 0 zero 1\n", ":4: non-numeric coordinate 'zero'"},
                      BadInput{"nan", "2\nc\nO 0 0 0\nH 0 nan 1\n", ":4: non-finite coordinate 'nan'"},
                      BadInput{"columns", "2\nc\nO 0 0 0\nH 0 1\n", ":4: expected symbol x y z"},
                      BadInput{"periodic", "1\nProperties=species:S:1:pos:R:3 pbc=\"T T T\"\nAr 0 0 0\n",
                               ":2: periodic structures"},
                      BadInput{"same_place", "2\nc\nO 0 0 0\nH 0 0 0\n", "line 1: atoms 1 and 2 (counting from 1) are at the same place"},
                      BadInput{"charge_range", "2\ncharge=99999999999\nH 0 0 0\nH 0 0 0.74\n",
                               ":2: charge '99999999999' is out of range"},
                      BadInput{"empty", "", "no structure found"}),
    [](const auto& info) { return info.param.name; });

TEST(XyzIo, MissingFileIsAnInputError) {
  try {
    read_xyz("/nonexistent/dir/mol.xyz");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/mol.xyz: cannot open file"), std::string::npos);
  }
}

// A folder opens as a stream that reads nothing: it was reported as an empty file.
TEST(XyzIo, AFolderIsNamedAsOne) {
  TempDir dir;
  try {
    read_xyz(dir.path().string());
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), dir.path().string() + ": is a folder, not a structure file");
  }
}

TEST(SdfIo, RoundTripThroughRdkit) {
  TempDir dir;
  const Atoms a = atoms_from_smiles("c1ccncc1C(=O)O", 8);
  Atoms tagged = a;
  tagged.info["energy"] = "-1.25";
  const std::string path = dir.file("mols.sdf");
  write_sdf(path, {tagged}, {bonds_from_covalent_radii(a)});
  const auto frames = read_sdf(path);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].numbers, a.numbers);
  EXPECT_LT((frames[0].positions - a.positions).cwiseAbs().maxCoeff(), 1e-4);  // SDF keeps 4 decimals
  EXPECT_EQ(canonical_smiles(frames[0], bonds_from_covalent_radii(frames[0])), canonicalize_smiles("c1ccncc1C(=O)O"));
  EXPECT_THROW(read_sdf(dir.file("missing.sdf")), std::invalid_argument);
}

// A write that fails when the buffered text is flushed (a full disk; /dev/full is one) is an error
// naming the file, never a file reported as written.
TEST(XyzIo, AWriteThatFailsAtFlushIsAnError) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full (Linux) to fail a write";
  const Atoms water = atoms_from_smiles("O", 1);
  for (const auto& write : std::vector<std::function<void()>>{
           [&] { write_text_file("/dev/full", "x"); }, [&] { write_extxyz("/dev/full", {water}); },
           [&] { write_sdf("/dev/full", {water}, {bonds_from_covalent_radii(water)}); }}) {
    try {
      write();
      ADD_FAILURE() << "no error";
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("/dev/full: write failed", 0), 0u) << e.what();
    }
  }
  TempDir dir;
  write_text_file(dir.file("a.txt"), "hello\n");
  std::ifstream in(dir.file("a.txt"));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "hello");
}

}  // namespace
}  // namespace equimol
