#include "rdkit_bridge.h"

#include <GraphMol/Conformer.h>
#include <GraphMol/DistGeomHelpers/Embedder.h>
#include <GraphMol/FileParsers/MolSupplier.h>
#include <GraphMol/FileParsers/MolWriters.h>
#include <GraphMol/ForceFieldHelpers/MMFF/MMFF.h>
#include <GraphMol/ForceFieldHelpers/UFF/UFF.h>
#include <GraphMol/GraphMol.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>
#include <RDGeneral/RDLog.h>
#include <RDGeneral/versions.h>

#include <fstream>
#include <sstream>

#include "bond_orders.h"
#include "errors.h"
#include "text_file.h"

namespace equimol {

std::string rdkit_version() { return RDKit::rdkitVersion; }

namespace {

// RDKit logs parse and sanitisation problems to stderr; EquiMol reports its own one-line errors.
void mute_rdkit_logs() {
  static const bool muted = [] {
    boost::logging::disable_logs("rdApp.*");
    return true;
  }();
  (void)muted;
}

constexpr int kMaxForceFieldIterations = 2000;

RDKit::Bond::BondType bond_type(int order) {
  switch (order) {
    case 1: return RDKit::Bond::SINGLE;
    case 2: return RDKit::Bond::DOUBLE;
    case 3: return RDKit::Bond::TRIPLE;
    default: return RDKit::Bond::UNSPECIFIED;
  }
}

Atoms atoms_from_conformer(const RDKit::ROMol& mol, const RDKit::Conformer& conf) {
  Atoms atoms;
  const int n = static_cast<int>(mol.getNumAtoms());
  atoms.numbers.resize(n);
  atoms.positions.resize(n, 3);
  for (int i = 0; i < n; ++i) {
    const RDKit::Atom* atom = mol.getAtomWithIdx(i);
    atoms.numbers[i] = atom->getAtomicNum();
    atoms.charge += atom->getFormalCharge();
    atoms.uhf += static_cast<int>(atom->getNumRadicalElectrons());
    const RDGeom::Point3D& p = conf.getAtomPos(i);
    atoms.positions.row(i) << p.x, p.y, p.z;
  }
  return atoms;
}

// ETKDG embeds each fragment of a multi-fragment SMILES ("O.O") about the origin, on top of one
// another. Lay them out along x instead, kFragmentGapAng apart (surface to surface).
constexpr double kFragmentGapAng = 3.0;

void separate_fragments(const RDKit::ROMol& mol, Atoms& atoms) {
  std::vector<int> fragment_of;
  const unsigned n_fragments = RDKit::MolOps::getMolFrags(mol, fragment_of);
  if (n_fragments < 2) return;
  double next_edge = 0.0;
  for (unsigned f = 0; f < n_fragments; ++f) {
    std::vector<int> members;
    for (int i = 0; i < atoms.size(); ++i) {
      if (fragment_of[i] == static_cast<int>(f)) members.push_back(i);
    }
    Eigen::RowVector3d centre = Eigen::RowVector3d::Zero();
    for (int i : members) centre += atoms.positions.row(i);
    centre /= static_cast<double>(members.size());
    double radius = 0.0;
    for (int i : members) radius = std::max(radius, (atoms.positions.row(i) - centre).norm());
    const Eigen::RowVector3d target(next_edge + radius, 0.0, 0.0);
    for (int i : members) atoms.positions.row(i) += target - centre;
    next_edge += 2.0 * radius + kFragmentGapAng;
  }
}

}  // namespace

RdkitMolecule::RdkitMolecule() = default;
RdkitMolecule::~RdkitMolecule() = default;
RdkitMolecule::RdkitMolecule(RdkitMolecule&&) noexcept = default;
RdkitMolecule& RdkitMolecule::operator=(RdkitMolecule&&) noexcept = default;

// RDKit returns null for syntax errors (its reason goes to the muted log) and throws for chemistry it
// refuses, e.g. a five-valent carbon; both become one InputError, with the thrown reason's first line.
std::unique_ptr<RDKit::RWMol> parse_smiles(const std::string& smiles) {
  mute_rdkit_logs();
  std::unique_ptr<RDKit::RWMol> mol;
  std::string reason;
  try {
    mol.reset(RDKit::SmilesToMol(smiles));
  } catch (const std::exception& e) {
    mol.reset();
    reason = e.what();
    reason = reason.substr(0, reason.find('\n'));
  }
  if (!mol || smiles.empty()) {
    throw InputError("invalid SMILES '" + smiles + "'" + (reason.empty() ? "" : " (" + reason + ")"));
  }
  return mol;
}

Atoms atoms_from_smiles(const std::string& smiles, int seed) {
  std::unique_ptr<RDKit::RWMol> mol = parse_smiles(smiles);
  for (const RDKit::Atom* atom : mol->atoms()) {
    if (atom->getAtomicNum() < 1 || atom->getAtomicNum() > 86) {
      throw InputError("SMILES '" + smiles + "': element " + atom->getSymbol() + " is not supported (Z 1..86)");
    }
  }
  RDKit::MolOps::addHs(*mol, false, false);
  RDKit::DGeomHelpers::EmbedParameters params = RDKit::DGeomHelpers::ETKDGv3;
  params.randomSeed = seed;
  int conformer_id = RDKit::DGeomHelpers::EmbedMolecule(*mol, params);
  if (conformer_id < 0) {  // large or strained molecules: start from random coordinates instead
    params.useRandomCoords = true;
    conformer_id = RDKit::DGeomHelpers::EmbedMolecule(*mol, params);
  }
  if (conformer_id < 0) throw InputError("SMILES '" + smiles + "': RDKit could not embed it in 3D");
  if (mol->getNumAtoms() > 1) {
    try {
      const auto mmff = RDKit::MMFF::MMFFOptimizeMolecule(*mol, kMaxForceFieldIterations);
      if (mmff.first < 0) RDKit::UFF::UFFOptimizeMolecule(*mol, kMaxForceFieldIterations);
    } catch (const std::exception&) {
      // No force-field parameters: keep the ETKDG geometry, the caller relaxes with xtb anyway.
    }
  }
  Atoms atoms = atoms_from_conformer(*mol, mol->getConformer(conformer_id));
  separate_fragments(*mol, atoms);
  atoms.info["smiles"] = smiles;
  validate(atoms, "SMILES '" + smiles + "'");
  return atoms;
}

RdkitMolecule to_rdkit(const Atoms& atoms, const BondGraph& graph) {
  mute_rdkit_logs();
  const BondOrderAssignment assignment = assign_bond_orders(atoms.numbers, graph, atoms.charge);
  RdkitMolecule out;
  out.mol = std::make_unique<RDKit::RWMol>();
  RDKit::RWMol& mol = *out.mol;
  for (int i = 0; i < atoms.size(); ++i) {
    RDKit::Atom atom(atoms.numbers[i]);
    atom.setNoImplicit(true);  // every hydrogen is an explicit atom of the structure
    atom.setFormalCharge(assignment.formal_charges[i]);
    atom.setNumRadicalElectrons(assignment.radicals[i]);
    mol.addAtom(&atom, true, false);
  }
  for (size_t b = 0; b < graph.bonds.size(); ++b) {
    mol.addBond(graph.bonds[b].first, graph.bonds[b].second, bond_type(assignment.orders[b]));
  }
  auto conformer = std::make_unique<RDKit::Conformer>(atoms.size());
  for (int i = 0; i < atoms.size(); ++i) {
    conformer->setAtomPos(i, RDGeom::Point3D(atoms.positions(i, 0), atoms.positions(i, 1), atoms.positions(i, 2)));
  }
  conformer->set3D(true);
  mol.addConformer(conformer.release(), true);
  try {
    RDKit::MolOps::sanitizeMol(mol);
    RDKit::MolOps::assignStereochemistryFrom3D(mol);
    out.sanitized = true;
  } catch (const std::exception&) {
    out.sanitized = false;
  }
  return out;
}

std::string canonical_smiles(const Atoms& atoms, const BondGraph& graph) {
  RdkitMolecule rd = to_rdkit(atoms, graph);
  if (!rd.sanitized) {
    // Connectivity only: valid for comparing structures, though not a chemically sane SMILES.
    rd.mol->updatePropertyCache(false);
    RDKit::MolOps::findSSSR(*rd.mol);
    return RDKit::MolToSmiles(*rd.mol, false);
  }
  RDKit::MolOps::removeHs(*rd.mol);
  return RDKit::MolToSmiles(*rd.mol);
}

std::string canonicalize_smiles(const std::string& smiles) { return RDKit::MolToSmiles(*parse_smiles(smiles)); }

bool passes_sanitization(const Atoms& atoms, const BondGraph& graph) { return to_rdkit(atoms, graph).sanitized; }

std::vector<Atoms> read_sdf(const std::string& path) {
  mute_rdkit_logs();
  if (!std::ifstream(path)) throw InputError(path + ": cannot open file");
  RDKit::SDMolSupplier supplier(path, /*sanitize=*/true, /*removeHs=*/false);
  std::vector<Atoms> frames;
  for (unsigned record = 1; !supplier.atEnd(); ++record) {
    std::unique_ptr<RDKit::ROMol> mol;
    try {
      mol.reset(supplier.next());
    } catch (const std::exception& e) {
      throw InputError(path + ": record " + std::to_string(record) + ": " + e.what());
    }
    if (!mol) throw InputError(path + ": record " + std::to_string(record) + " is not a valid molecule");
    if (mol->getNumConformers() == 0) throw InputError(path + ": record " + std::to_string(record) + " has no coordinates");
    Atoms atoms = atoms_from_conformer(*mol, mol->getConformer());
    std::string name;
    if (mol->getPropIfPresent("_Name", name) && !name.empty()) atoms.info["name"] = name;
    validate(atoms, path + ": record " + std::to_string(record));
    frames.push_back(std::move(atoms));
  }
  if (frames.empty()) throw InputError(path + ": no molecule found");
  return frames;
}

void write_sdf(const std::string& path, const std::vector<Atoms>& frames, const std::vector<BondGraph>& graphs) {
  if (frames.size() != graphs.size()) throw std::invalid_argument("write_sdf: one bond graph per structure");
  std::ostringstream stream;
  RDKit::SDWriter writer(&stream, false);
  for (size_t k = 0; k < frames.size(); ++k) {
    RdkitMolecule rd = to_rdkit(frames[k], graphs[k]);
    if (!rd.sanitized) rd.mol->updatePropertyCache(false);
    std::vector<std::string> names;
    for (const auto& [key, value] : frames[k].info) {
      rd.mol->setProp(key, value);
      names.push_back(key);
    }
    writer.setProps(names);
    writer.write(*rd.mol);
  }
  writer.close();
  write_text_file(path, stream.str());
}

}  // namespace equimol
