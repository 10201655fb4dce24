// Names of tape files in the mount: file000, file001, ... file999, file1000.
// Exactly one spelling per index, so `file7` or `file0007` are not aliases.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tsfs::fusefs {

std::string TapeFileName(int index);

// The index a name stands for, or nullopt when it is not a canonical tape
// file name. Accepts "name" or "/name".
std::optional<int> ParseTapeFileName(std::string_view name);

}  // namespace tsfs::fusefs
