// Settings a campaign keeps in its store's meta table, so that --resume continues it as it was
// (explore and design): given again they must agree with the store, the others are restored from it.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "chem/errors.h"

namespace equimol::cli {

template <class Options>
struct StoredSetting {
  std::string key;     // in the store's meta table
  std::string option;  // on the command line ("" when the value names its own options, as explore's start)
  std::string value;   // as this command would run it
  bool given = false;  // on this command line
  /// Puts a stored value back into the options (null: nothing to restore, e.g. explore's start).
  std::function<void(Options&, const std::string&)> restore;
  /// Whether a given value and the stored one agree (null: equal text); asked only of given values.
  std::function<bool(const std::string&, const std::string&)> same;
};

/// An existing store needs --resume (a new campaign would be mixed into it) and --resume needs a store.
/// Throws InputError naming the file.
void check_resume_target(const std::string& store_path, bool resume);

/// A new campaign needs each of `options` on its command line (a resumed one takes them from its store).
void require_options(const std::set<std::string>& given, std::initializer_list<const char*> options);

/// `path` made absolute (and normal): what a campaign stores for a start file or a run directory, so that
/// a resume from another working directory names the same one.
std::string absolute_path(const std::string& path);
/// The agent as a campaign stores it: a run directory by its absolute path; names (random, ...) as given.
std::string agent_as_stored(const std::string& agent);
/// Equal text, or two paths to the same file or directory (one given, one stored).
bool same_path(const std::string& a, const std::string& b);
/// A stored agent that was a run directory (stored absolute) and is gone: InputError naming the store.
/// `verb` as take_stored_settings'.
void check_stored_agent(const std::string& agent, const std::string& store_path, const std::string& verb);

/// --resume: a setting given again must agree with the stored one, else InputError naming both (another
/// agent or seed would silently make a different campaign); the others are restored. Keys the store
/// lacks (older campaigns) are skipped. `verb` says what the campaign did: "explored", "designed".
template <class Options>
void take_stored_settings(Options& o, const std::vector<StoredSetting<Options>>& settings,
                          const std::map<std::string, std::string>& meta, const std::string& store_path,
                          const std::string& verb) {
  const auto shown = [](const std::string& value) { return value.empty() ? std::string("(none)") : value; };
  for (const StoredSetting<Options>& s : settings) {
    const auto stored = meta.find(s.key);
    if (stored == meta.end()) continue;
    const bool agrees = !s.given || (s.same ? s.same(s.value, stored->second) : s.value == stored->second);
    if (!agrees) {
      throw InputError(store_path + " was " + verb + " with " + (s.option.empty() ? "" : s.option + " ") +
                       shown(stored->second) + ", not " + shown(s.value) +
                       " (resume it as it was, or choose another --out)");
    }
    if (s.restore) s.restore(o, stored->second);
  }
}

}  // namespace equimol::cli
