// The equimol CLI's chemistry commands, run as a user would: outputs, JSON shapes, bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "chem/rdkit_bridge.h"
#include "chem/units.h"
#include "chem/xyz_io.h"
#include "envs/sqlite_database.h"
#include "test_support.h"

namespace equimol {
namespace {

using testing::run_command;
using testing::TempDir;

const std::string kCli = EQUIMOL_CLI;
const std::string kWater = std::string(EQUIMOL_TEST_DATA_DIR) + "/water.xyz";

TEST(Cli, EnergyJsonHasTheDocumentedShape) {
  const auto run = run_command(kCli + " energy --xyz " + kWater + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto j = nlohmann::json::parse(run.output);
  EXPECT_EQ(j["method"], "gfn2");
  EXPECT_EQ(j["n_atoms"], 3);
  EXPECT_EQ(j["energy_unit"], "eV");
  EXPECT_EQ(j["energy"], j["energy_ev"]);
  EXPECT_NEAR(j["energy_ev"].get<double>(), j["energy_hartree"].get<double>() * units::kHartreeToEv, 1e-9);
  EXPECT_NEAR(j["energy_hartree"].get<double>(), -5.0703, 1e-3);
  ASSERT_EQ(j["forces_ev_per_angstrom"].size(), 3u);
  EXPECT_EQ(j["forces_ev_per_angstrom"][0].size(), 3u);
  EXPECT_EQ(j.size(), 7u) << j.dump();  // the keys README lists
}

TEST(Cli, EnergyOfSmilesWithEachMethod) {
  for (const std::string method : {"gfn2", "gfn1", "gfnff"}) {
    const auto run = run_command(kCli + " energy --smiles CCO --method " + method + " --json");
    ASSERT_EQ(run.exit_code, 0) << method << run.output;
    EXPECT_EQ(nlohmann::json::parse(run.output)["method"], method);
  }
}

// With stdout a regular file, libgfortran buffers xtb's unit 6: GFN-FF's set-up report used to reach the
// file at exit, ahead of the JSON. Through a shell, so that stdout is a file and not run_command's pipe.
TEST(Cli, EnergyJsonRedirectedToAFileIsOnlyJsonWithEachMethod) {
  TempDir dir;
  for (const std::string method : {"gfn2", "gfn1", "gfnff"}) {
    const std::string file = dir.file(method + ".json");
    const auto run = run_command(kCli + " energy --smiles C1CC1O --method " + method + " --json > " + file + " 2>/dev/null");
    ASSERT_EQ(run.exit_code, 0) << method;
    std::ifstream in(file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_TRUE(nlohmann::json::accept(text)) << method << ":\n" << text.substr(0, 400);
    EXPECT_EQ(nlohmann::json::parse(text)["method"], method);
  }
}

// An output that cannot be written in full is a failed run (exit 1, one line naming it), not "wrote".
TEST(Cli, AnOutputThatFailsToWriteIsExitCodeOne) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full (Linux) to fail a write";
  const auto run = run_command(kCli + " optimize --smiles O -o /dev/full 2>&1 >/dev/null");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_EQ(run.output.rfind("equimol: error: /dev/full: write failed", 0), 0u) << run.output;
  EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
}

TEST(Cli, OptimizeWritesStructureAndReportsWork) {
  TempDir dir;
  const std::string out = dir.file("relaxed.xyz");
  const auto run = run_command(kCli + " optimize --smiles 'OC=O' --optimizer fire --fmax 0.03 -o " + out + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto j = nlohmann::json::parse(run.output);
  EXPECT_TRUE(j["converged"].get<bool>());
  EXPECT_LE(j["fmax"].get<double>(), 0.03);
  EXPECT_GT(j["gradient_calls"].get<int>(), 1);
  EXPECT_GE(j["gradient_calls"].get<int>(), j["steps"].get<int>());
  EXPECT_EQ(j["smiles"], "O=CO");
  // README: energy's keys but the forces, with these.
  for (const char* key :
       {"method", "n_atoms", "energy", "energy_unit", "energy_ev", "energy_hartree", "optimizer", "output"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_FALSE(j.contains("forces_ev_per_angstrom"));
  EXPECT_EQ(j.size(), 13u) << j.dump();
  const auto frames = read_xyz(out);
  EXPECT_NEAR(std::stod(frames.front().info.at("energy")), j["energy_ev"].get<double>(), 1e-4);
}

// The written structure describes this result only: keys of the input file (here units that say ε and
// σ, and an explore minimum's id) are not carried over; the energy has 8 decimals (eV), and whether the
// optimizer converged is in the file, since an unconverged structure is no minimum.
TEST(Cli, OptimizeOutputDescribesItsOwnResult) {
  TempDir dir;
  const std::string in = dir.file("in.xyz"), out = dir.file("out.xyz"), partial = dir.file("partial.xyz");
  std::ofstream(in) << "3\nenergy_unit=epsilon length_unit=sigma id=7 Properties=species:S:1:pos:R:3\n"
                       "O 0 0 0.1\nH 0 0.8 -0.4\nH 0 -0.8 -0.4\n";
  ASSERT_EQ(run_command(kCli + " optimize --xyz " + in + " -o " + out).exit_code, 0);
  const Atoms relaxed = read_xyz(out).front();
  for (const char* key : {"energy_unit", "length_unit", "id"}) EXPECT_FALSE(relaxed.info.count(key)) << key;
  EXPECT_EQ(relaxed.info.at("converged"), "T");
  EXPECT_EQ(relaxed.info.at("smiles"), "O");
  const std::string energy = relaxed.info.at("energy");
  EXPECT_EQ(energy.size() - energy.find('.') - 1, 8u) << energy;
  ASSERT_EQ(run_command(kCli + " optimize --xyz " + in + " --max-steps 1 -o " + partial).exit_code, 0);
  const Atoms unconverged = read_xyz(partial).front();
  EXPECT_EQ(unconverged.info.at("converged"), "F");
  EXPECT_GT(std::stod(unconverged.info.at("fmax")), 0.05);
}

// GFN2's Wiberg orders join the ends of 1,3-dipoles (about 0.5 at 2.1-2.4 Å): without a length cap
// ozone was the ring o1oo1 and methyl azide CN1N=N1. optimize and explore perceive them open.
TEST(Cli, OneThreeDipolesAreNotRings) {
  for (const std::string smiles : {"O=[O+][O-]", "CN=[N+]=[N-]"}) {
    const auto run = run_command(kCli + " optimize --smiles '" + smiles + "' --json");
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_EQ(nlohmann::json::parse(run.output)["smiles"], canonicalize_smiles(smiles)) << smiles;
  }
}

// GFN-FF gives no Wiberg bond orders: optimize then perceives bonds from covalent radii (it once asked
// GFN-FF for bond orders and failed on every molecule).
TEST(Cli, OptimizeWithGfnffGivesItsSmiles) {
  const auto run = run_command(kCli + " optimize --smiles CCO --method gfnff --json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(nlohmann::json::parse(run.output)["smiles"], "CCO");
}

// GFN2's H2 bond (0.775 Å) is longer than 1.2 times two hydrogen covalent radii: optimize perceives its
// bonds from Wiberg orders with xtb, as explore does, and keeps the molecule one.
TEST(Cli, OptimizedHydrogenIsOneMolecule) {
  const auto run = run_command(kCli + " optimize --smiles '[H][H]' --json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(nlohmann::json::parse(run.output)["smiles"], "[H][H]");
}

// Interoperability: ASE (Debian's python3-ase) reads what optimize writes, with the energy in eV,
// and EquiMol reads what ASE writes, forces included.
TEST(Cli, ExtendedXyzIsReadByAseAndBack) {
  TempDir dir;
  const std::string ours = dir.file("ours.xyz"), theirs = dir.file("theirs.xyz");
  ASSERT_EQ(run_command(kCli + " optimize --smiles CC=O -o " + ours).exit_code, 0);
  const std::string script =
      "from ase.io import read, write\n"
      "from ase.calculators.singlepoint import SinglePointCalculator\n"
      "a = read('" + ours + "')\n"
      "print(a.get_chemical_formula(), a.info['energy'])\n"
      "a.calc = SinglePointCalculator(a, energy=-2.5, forces=[[0.5, 0.0, -0.5]] * len(a))\n"
      "write('" + theirs + "', [a, a], format='extxyz')\n";
  std::ofstream(dir.file("check.py")) << script;
  const auto run = run_command("/usr/bin/python3 " + dir.file("check.py") + " 2>&1");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto ours_read = read_xyz(ours).front();
  EXPECT_EQ(run.output.substr(0, 6), "C2H4O ") << run.output;
  EXPECT_NEAR(std::stod(run.output.substr(6)), std::stod(ours_read.info.at("energy")), 1e-5);
  const auto frames = read_xyz(theirs);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[1].info.at("energy"), "-2.5");
  ASSERT_TRUE(frames[1].forces.has_value());
  EXPECT_DOUBLE_EQ((*frames[1].forces)(0, 2), -0.5);
  EXPECT_LT((frames[0].positions - ours_read.positions).cwiseAbs().maxCoeff(), 1e-6);
}

// A Lennard-Jones energy is in ε and its forces in ε/σ: no key may say eV (energy_ev held ε).
TEST(Cli, LennardJonesClusterInReducedUnits) {
  TempDir dir;
  const std::string path = dir.file("lj3.xyz");
  std::ofstream(path) << "3\n\nAr 0 0 0\nAr 1.12 0 0\nAr 0.56 0.97 0\n";
  const auto run = run_command(kCli + " optimize --xyz " + path + " --method lj --json -o " + dir.file("out.xyz"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const Atoms written = read_xyz(dir.file("out.xyz")).front();  // energy= in ε, and the file says so
  EXPECT_EQ(written.info.at("energy_unit"), "epsilon");
  EXPECT_EQ(written.info.at("length_unit"), "sigma");
  const auto j = nlohmann::json::parse(run.output);
  EXPECT_EQ(j["energy_unit"], "epsilon");
  EXPECT_NEAR(j["energy"].get<double>(), -3.0, 1e-4);  // equilateral triangle at r_min: 3 pairs of -ε
  EXPECT_FALSE(j.contains("energy_ev")) << j.dump();
  EXPECT_FALSE(j.contains("energy_hartree")) << j.dump();

  const auto single = run_command(kCli + " energy --xyz " + path + " --method lj --json");
  ASSERT_EQ(single.exit_code, 0) << single.output;
  const auto e = nlohmann::json::parse(single.output);
  EXPECT_EQ(e["energy_unit"], "epsilon");
  EXPECT_LT(e["energy"].get<double>(), -2.9);
  ASSERT_EQ(e["forces_epsilon_per_sigma"].size(), 3u);
  for (const char* key : {"energy_ev", "energy_hartree", "forces_ev_per_angstrom"}) {
    EXPECT_FALSE(e.contains(key)) << key << " in " << e.dump();
  }
  EXPECT_EQ(e.size(), 5u) << e.dump();  // method, n_atoms, energy, energy_unit, forces_epsilon_per_sigma

  // Electrons mean nothing to Lennard-Jones: a cluster of atoms with an odd electron count is fine.
  const std::string sodium = dir.file("na3.xyz");
  std::ofstream(sodium) << "3\n\nNa 0 0 0\nNa 1.12 0 0\nNa 0.56 0.97 0\n";
  for (const std::string command : {"energy", "optimize"}) {
    const auto na3 = run_command(kCli + " " + command + " --xyz " + sodium + " --method lj --json");
    EXPECT_EQ(na3.exit_code, 0) << command << ": " << na3.output;
  }
  const auto explored = run_command(kCli + " explore --xyz " + sodium + " --method lj --agent random --budget 2 --out " +
                                    dir.file("na3") + " --json");
  EXPECT_EQ(explored.exit_code, 0) << explored.output;
}

// A failed calculation is exit 1 with one line naming the method and the reason once (the innermost
// level of xtb's error stack, not its one line per level).
TEST(Cli, ScfFailureIsOneLineAndExitCodeOne) {
  const std::string reason = "gfn2 single point failed: scf: Self consistent charge iterator did not converge\n";
  for (const std::string command : {"energy", "optimize"}) {
    const auto run = run_command(kCli + " " + command + " --smiles '[Fe]' 2>&1 >/dev/null");  // stderr only
    EXPECT_EQ(run.exit_code, 1) << command << run.output;
    EXPECT_EQ(run.output, "equimol: error: " + std::string(command == "optimize" ? "relaxation failed: " : "") + reason)
        << command;
  }
}

struct BadCall {
  std::string name;
  std::string args;      // after the CLI path; FILE is replaced by a temp file with `file_text`
  std::string file_text;
  std::string expected;  // in the one stderr line
};

void PrintTo(const BadCall& call, std::ostream* os) { *os << call.name; }

class BadInputCli : public ::testing::TestWithParam<BadCall> {};

TEST_P(BadInputCli, OneLineOnStderrAndExitCodeTwo) {
  TempDir dir;
  std::string args = GetParam().args;
  const std::string file = dir.file("input.xyz");
  if (!GetParam().file_text.empty()) std::ofstream(file) << GetParam().file_text;
  if (const size_t at = args.find("FILE"); at != std::string::npos) args.replace(at, 4, file);
  const auto run = run_command(kCli + " " + args + " 2>&1 >/dev/null");  // stderr only
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
  EXPECT_NE(run.output.find(GetParam().expected), std::string::npos) << run.output;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadInputCli,
    ::testing::Values(
        BadCall{"missing_file", "energy --xyz /no/such/file.xyz", "", "cannot open file"},
        BadCall{"folder", "energy --xyz /tmp", "", "/tmp: is a folder, not a structure file"},
        BadCall{"malformed", "energy --xyz FILE", "two\n\nH 0 0 0\n", "expected a positive atom count"},
        BadCall{"truncated", "optimize --xyz FILE", "3\n\nO 0 0 0\nH 0 0 1\n", "truncated frame"},
        BadCall{"unknown_element", "energy --xyz FILE", "2\n\nO 0 0 0\nQq 0 0 1\n", "unknown element 'Qq'"},
        BadCall{"beyond_radon", "energy --xyz FILE", "2\n\nO 0 0 0\nU 0 0 2\n",
                "element 'U' (Z = 92) is beyond radon, where xtb's GFN methods stop"},
        BadCall{"unknown_command", "enrgy --smiles C", "", "unknown command 'enrgy' (commands: energy, optimize,"},
        BadCall{"nonnumeric", "energy --xyz FILE", "2\n\nO 0 0 0\nH 0 x 1\n", "non-numeric coordinate 'x'"},
        BadCall{"nan", "energy --xyz FILE", "2\n\nO 0 0 0\nH 0 NaN 1\n", "non-finite coordinate"},
        BadCall{"huge_count", "energy --xyz FILE", "3000000000\n\nO 0 0 0\n", "atom count 3000000000 is beyond"},
        BadCall{"same_place", "energy --xyz FILE", "2\n\nO 0 0 0\nH 0 0 0\n", "same place"},
        BadCall{"invalid_smiles", "energy --smiles 'C1CC('", "", "invalid SMILES 'C1CC('"},
        BadCall{"valence", "energy --smiles 'C(C)(C)(C)(C)C'", "",
                "invalid SMILES 'C(C)(C)(C)(C)C' (Explicit valence for atom # 0 C, 5"},
        BadCall{"unknown_method", "energy --xyz FILE --method pm7", "1\n\nO 0 0 0\n", "unknown method 'pm7'"},
        BadCall{"unknown_optimizer", "optimize --smiles C --optimizer bfgs", "", "unknown optimizer 'bfgs'"},
        BadCall{"bad_number", "optimize --smiles C --fmax abc", "", "--fmax"},
        BadCall{"no_structure", "energy", "", "--xyz FILE or --smiles S"},
        BadCall{"both_inputs", "energy --smiles C --xyz FILE", "1\n\nO 0 0 0\n", "excludes"},
        BadCall{"charge_out_of_range", "energy --xyz FILE", "2\ncharge=99999999999\nH 0 0 0\nH 0 0 0.74\n",
                "charge '99999999999' is out of range"},
        BadCall{"charge_option_out_of_range", "optimize --smiles C --charge 99999999999", "",
                "--charge: must be a whole number from -2147483648 to 2147483647, got 99999999999"},
        BadCall{"huge_electron_count", "energy --xyz FILE", "2\ncharge=-2147483648\nH 0 0 0\nH 0 0 0.74\n",
                "charge -2147483648 is out of range (2147483650 electrons)"},
        BadCall{"no_electrons", "energy --xyz FILE", "2\ncharge=2\nH 0 0 0\nH 0 0 0.74\n",
                "charge 2 leaves no electrons: the nuclei add up to +2"},
        BadCall{"no_electrons_smiles", "optimize --smiles '[H+]'", "", "charge 1 leaves no electrons"},
        BadCall{"no_valence_electrons", "energy --xyz FILE --charge 8", "3\n\nO 0 0 0.1\nH 0 0.8 -0.4\nH 0 -0.8 -0.4\n",
                "charge 8 leaves 0 valence electrons: xtb treats only valence electrons (8 here)"},
        BadCall{"lj_for_smiles", "energy --smiles C --method lj", "", "--method lj is for atomic clusters"},
        BadCall{"lj_for_smiles_optimize", "optimize --smiles C --method lj", "", "not --smiles molecules"},
        BadCall{"output_folder_missing", "optimize --xyz FILE -o /no/such/folder/opt.xyz",
                "2\n\nH 0 0 0\nH 0 0 0.74\n", "-o /no/such/folder/opt.xyz: the folder /no/such/folder does not exist"},
        BadCall{"output_is_folder", "optimize --xyz FILE -o /tmp", "2\n\nH 0 0 0\nH 0 0 0.74\n",
                "-o /tmp: is a folder, not a file name"},
        BadCall{"negative_embed_seed", "energy --smiles C --embed-seed -5", "", "--embed-seed: must be >= 0, got -5"}),
    [](const auto& info) { return info.param.name; });

// The demo also runs again over its own outputs (an earlier demo's training run included) and removes
// nothing else from the folder it is given.
TEST(Cli, DemoRelaxesAMoleculeAndPrintsItsEnergy) {
  TempDir dir;
  std::filesystem::create_directories(dir.file("out/explore"));
  std::filesystem::create_directories(dir.file("out/cartpole"));
  std::ofstream(dir.file("out/explore/notes.txt")) << "mine";
  std::ofstream(dir.file("out/cartpole/config.json")) << "{}";  // as an earlier demo's run leaves them
  std::ofstream(dir.file("out/cartpole/checkpoint.pt")) << "";
  const auto run = run_command("cd " + dir.path().string() + " && " + kCli + " demo --out out");
  EXPECT_TRUE(std::filesystem::exists(dir.file("out/explore/notes.txt")));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("GFN2 energy"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("SMILES       CC(=O)O"), std::string::npos) << run.output;
  EXPECT_EQ(read_xyz(dir.file("out/relaxed.xyz")).front().size(), 8);
}

// --version names EquiMol's release and the libraries it runs on (what a methods section cites); campaigns
// record the release that made them.
TEST(Cli, VersionNamesTheReleaseAndItsLibraries) {
  const auto run = run_command(kCli + " --version");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string first = run.output.substr(0, run.output.find('\n'));
  ASSERT_EQ(first.rfind("equimol ", 0), 0u) << run.output;
  const std::string release = first.substr(8);
  EXPECT_EQ(std::count(release.begin(), release.end(), '.'), 2) << release;
  for (const char* library : {"\nxtb ", "(C API 1.", "\nRDKit 20", "\nLibTorch ", "\nEigen 3."}) {
    EXPECT_NE(run.output.find(library), std::string::npos) << library << " in " << run.output;
  }
  TempDir dir;
  ASSERT_EQ(run_command(kCli + " explore --cluster lj:7 --agent random --budget 2 --out " + dir.file("lj7") + " --json").exit_code, 0);
  ASSERT_EQ(run_command(kCli + " design --bag H2O --agent random --episodes 1 --out " + dir.file("h2o") + " --json").exit_code, 0);
  for (const std::string store : {"lj7/campaign.sqlite", "h2o/design.sqlite"}) {
    EXPECT_EQ(envs::read_meta(dir.file(store), "store").at("equimol_version"), release) << store;
  }
}

}  // namespace
}  // namespace equimol
