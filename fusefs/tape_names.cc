#include "fusefs/tape_names.h"

#include <cstdio>

namespace tsfs::fusefs {

std::string TapeFileName(int index) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "file%03d", index);
  return buf;
}

std::optional<int> ParseTapeFileName(std::string_view name) {
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  constexpr std::string_view kPrefix = "file";
  if (name.size() < kPrefix.size() + 3 || name.substr(0, kPrefix.size()) != kPrefix) {
    return std::nullopt;
  }
  std::string_view digits = name.substr(kPrefix.size());
  if (digits.size() > 9) return std::nullopt;
  int index = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + (c - '0');
  }
  if (TapeFileName(index) != name) return std::nullopt;
  return index;
}

}  // namespace tsfs::fusefs
