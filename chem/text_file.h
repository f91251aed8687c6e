// Writing a whole file at once, failures included: a stream's state before it is flushed and closed says
// nothing about a full disk (or /dev/full), so a failed write would be reported as written.
#pragma once

#include <string>

namespace equimol {

/// Writes `text` to `path` (replacing it), flushes and closes it; throws std::runtime_error naming the
/// file and the reason when it cannot be opened or any part of the text does not reach it (a regular file
/// left half-written is then removed).
void write_text_file(const std::string& path, const std::string& text);

}  // namespace equimol
