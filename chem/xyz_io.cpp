#include "xyz_io.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>

#include "elements.h"
#include "errors.h"
#include "text_file.h"

namespace equimol {
namespace {

struct Column {
  std::string name;
  char type;  // S, R, I, L
  int width;
};

// Splits a comment line into key=value pairs; values may be double-quoted.
std::map<std::string, std::string> parse_key_values(const std::string& line) {
  std::map<std::string, std::string> pairs;
  size_t i = 0;
  const size_t n = line.size();
  while (i < n) {
    while (i < n && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    size_t key_start = i;
    while (i < n && line[i] != '=' && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    std::string key = line.substr(key_start, i - key_start);
    if (key.empty()) break;
    std::string value = "T";  // a bare key is a true flag, as in ASE
    if (i < n && line[i] == '=') {
      ++i;
      // A backslash escapes the next character (\\ and \" as ASE reads them), quoted or not.
      const bool quoted = i < n && line[i] == '"';
      if (quoted) ++i;
      value.clear();
      for (; i < n && (quoted ? line[i] != '"' : !std::isspace(static_cast<unsigned char>(line[i]))); ++i) {
        if (line[i] == '\\' && i + 1 < n) ++i;
        value += line[i];
      }
      if (quoted && i < n) ++i;  // the closing quote
    }
    pairs[key] = value;
  }
  return pairs;
}

// Molecules and clusters only: a periodic cell would be silently ignored, so it is refused.
void check_not_periodic(const std::string& pbc, const std::string& where) {
  if (pbc.find_first_of("Tt1") != std::string::npos) {
    throw InputError(where + ": periodic structures (pbc=\"" + pbc + "\") are not supported");
  }
}

std::vector<Column> parse_properties(const std::string& spec, const std::string& where) {
  std::vector<Column> columns;
  std::vector<std::string> parts;
  std::stringstream ss(spec);
  for (std::string part; std::getline(ss, part, ':');) parts.push_back(part);
  if (parts.size() % 3 != 0) throw InputError(where + ": malformed Properties='" + spec + "'");
  for (size_t k = 0; k < parts.size(); k += 3) {
    char* end = nullptr;
    const long width = std::strtol(parts[k + 2].c_str(), &end, 10);
    if (parts[k + 1].size() != 1 || *end != '\0' || width < 1) {
      throw InputError(where + ": malformed Properties='" + spec + "'");
    }
    columns.push_back({parts[k], parts[k + 1][0], static_cast<int>(width)});
  }
  return columns;
}

double parse_coordinate(const std::string& token, const std::string& where) {
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(token.c_str(), &end);
  if (end == token.c_str() || *end != '\0' || errno == ERANGE) {
    throw InputError(where + ": non-numeric coordinate '" + token + "'");
  }
  if (!std::isfinite(value)) throw InputError(where + ": non-finite coordinate '" + token + "'");
  return value;
}

int parse_species(const std::string& token, const std::string& where) {
  // Plain XYZ files sometimes carry atomic numbers instead of symbols.
  char* end = nullptr;
  const long z = std::strtol(token.c_str(), &end, 10);
  if (*end == '\0' && end != token.c_str()) {
    if (z < 1 || z > kMaxAtomicNumber) throw InputError(where + ": " + unknown_element_message(token));
    return static_cast<int>(z);
  }
  if (!is_element_symbol(token)) throw InputError(where + ": " + unknown_element_message(token));
  return atomic_number(token);
}

int parse_int_field(const std::string& text, const std::string& what, const std::string& where) {
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0') throw InputError(where + ": bad " + what + " '" + text + "'");
  // A cast would wrap charge=99999999999 into some other charge.
  if (errno == ERANGE || value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    throw InputError(where + ": " + what + " '" + text + "' is out of range");
  }
  return static_cast<int>(value);
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  const size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

}  // namespace

std::vector<Atoms> read_xyz(std::istream& in, const std::string& source) {
  std::vector<Atoms> frames;
  std::string line;
  int line_no = 0;
  auto where = [&](int no) { return source + ":" + std::to_string(no); };

  while (std::getline(in, line)) {
    ++line_no;
    const std::string count_text = trim(line);
    if (count_text.empty()) continue;  // blank lines between or after frames
    char* end = nullptr;
    const long n_atoms = std::strtol(count_text.c_str(), &end, 10);
    if (*end != '\0' || n_atoms < 1) {
      throw InputError(where(line_no) + ": expected a positive atom count, got '" + count_text + "'");
    }
    // Storage for the atoms is reserved from the count: a garbled one must not ask for terabytes.
    constexpr long kMaxAtoms = 1'000'000;
    if (n_atoms > kMaxAtoms) {
      throw InputError(where(line_no) + ": atom count " + count_text + " is beyond " + std::to_string(kMaxAtoms));
    }
    std::string comment;
    if (!std::getline(in, comment)) {
      throw InputError(where(line_no + 1) + ": truncated frame: missing comment line");
    }
    ++line_no;
    const std::string comment_where = where(line_no);

    Atoms atoms;
    atoms.numbers.resize(n_atoms);
    atoms.positions.resize(n_atoms, 3);
    std::vector<Column> columns = {{"species", 'S', 1}, {"pos", 'R', 3}};
    std::map<std::string, std::string> pairs = parse_key_values(comment);
    const bool extended = pairs.count("Properties") > 0;
    if (extended) {
      columns = parse_properties(pairs.at("Properties"), comment_where);
      pairs.erase("Properties");
      for (const auto& [key, value] : pairs) {
        if (key == "charge") atoms.charge = parse_int_field(value, "charge", comment_where);
        else if (key == "uhf") atoms.uhf = parse_int_field(value, "uhf", comment_where);
        else if (key == "pbc") check_not_periodic(value, comment_where);  // written anew by write_extxyz
        else atoms.info[key] = value;
      }
    } else if (!trim(comment).empty()) {
      atoms.info["comment"] = trim(comment);
      // As ASE does, a plain comment's charge= and uhf= keys count too when written as whole numbers
      // ("charge=1", and a number out of range is an error); in free text ("Water, charge=0, neutral")
      // they stay part of the comment.
      const auto whole_number = [&](const char* key, int& field) {
        const auto it = pairs.find(key);
        if (it == pairs.end()) return;
        const std::string& text = it->second;
        const size_t sign = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
        const bool integer = text.size() > sign && text.find_first_not_of("0123456789", sign) == std::string::npos;
        if (integer) field = parse_int_field(text, key, comment_where);
      };
      whole_number("charge", atoms.charge);
      whole_number("uhf", atoms.uhf);
    }
    bool has_forces = false;
    for (const auto& c : columns) has_forces |= (c.name == "forces" || c.name == "force");
    if (has_forces) atoms.forces = Positions(n_atoms, 3);

    for (long i = 0; i < n_atoms; ++i) {
      if (!std::getline(in, line)) {
        throw InputError(where(line_no + 1) + ": truncated frame: expected " + std::to_string(n_atoms) +
                         " atoms, found " + std::to_string(i));
      }
      ++line_no;
      std::istringstream fields(line);
      std::vector<std::string> tokens;
      for (std::string t; fields >> t;) tokens.push_back(t);
      size_t k = 0;
      bool have_species = false, have_pos = false;
      for (const auto& c : columns) {
        if (k + c.width > tokens.size()) {
          throw InputError(where(line_no) + ": expected " + (extended ? "more columns" : "symbol x y z") +
                           ", got '" + trim(line) + "'");
        }
        if (c.name == "species" || (c.name == "Z" && c.type == 'I')) {
          atoms.numbers[i] = parse_species(tokens[k], where(line_no));
          have_species = true;
        } else if (c.name == "pos") {
          for (int d = 0; d < 3; ++d) atoms.positions(i, d) = parse_coordinate(tokens[k + d], where(line_no));
          have_pos = true;
        } else if (c.name == "forces" || c.name == "force") {
          for (int d = 0; d < 3; ++d) (*atoms.forces)(i, d) = parse_coordinate(tokens[k + d], where(line_no));
        }
        k += c.width;
      }
      if (!have_species || !have_pos) {
        throw InputError(comment_where + ": Properties lacks species or pos");
      }
    }
    validate(atoms, source + ": structure starting at line " + std::to_string(line_no - n_atoms - 1));
    frames.push_back(std::move(atoms));
  }
  if (frames.empty()) throw InputError(source + ": no structure found (empty file)");
  return frames;
}

std::vector<Atoms> read_xyz(const std::string& path) {
  // An ifstream opens a folder and then reads nothing, which would pass for an empty file.
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) throw InputError(path + ": is a folder, not a structure file");
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open file (" + std::strerror(errno) + ")");
  return read_xyz(in, path);
}

namespace {

// A comment-line value as ASE reads it back: quoted when it holds blanks or separators, with
// backslashes and quotes escaped (SMILES stereo bonds are backslashes).
std::string extxyz_value(const std::string& value) {
  if (!value.empty() && value.find_first_of(" \t=\"\\") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '\\' || c == '"') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

void write_extxyz(std::ostream& out, const Atoms& atoms) {
  out << atoms.size() << "\n";
  out << "Properties=species:S:1:pos:R:3" << (atoms.forces ? ":forces:R:3" : "");
  for (const auto& [key, value] : atoms.info) {
    out << " " << key << "=" << extxyz_value(value);
  }
  if (atoms.charge != 0) out << " charge=" << atoms.charge;
  if (atoms.uhf != 0) out << " uhf=" << atoms.uhf;
  out << " pbc=\"F F F\"\n";
  out << std::fixed << std::setprecision(10);
  for (int i = 0; i < atoms.size(); ++i) {
    out << std::left << std::setw(3) << element(atoms.numbers[i]).symbol << std::right;
    for (int d = 0; d < 3; ++d) out << " " << std::setw(18) << atoms.positions(i, d);
    if (atoms.forces) {
      for (int d = 0; d < 3; ++d) out << " " << std::setw(18) << (*atoms.forces)(i, d);
    }
    out << "\n";
  }
  out.unsetf(std::ios::floatfield);
}

void write_extxyz(const std::string& path, const std::vector<Atoms>& frames) {
  std::ostringstream out;
  for (const auto& atoms : frames) write_extxyz(out, atoms);
  write_text_file(path, out.str());
}

void write_xyz(std::ostream& out, const Atoms& atoms, const std::string& comment) {
  out << atoms.size() << "\n" << comment << "\n" << std::fixed << std::setprecision(10);
  for (int i = 0; i < atoms.size(); ++i) {
    out << std::left << std::setw(3) << element(atoms.numbers[i]).symbol << std::right;
    for (int d = 0; d < 3; ++d) out << " " << std::setw(18) << atoms.positions(i, d);
    out << "\n";
  }
  out.unsetf(std::ios::floatfield);
}

std::string fixed_decimals(double value, int decimals) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(decimals) << value;
  return out.str();
}

}  // namespace equimol
