#include "fusefs/source_path.h"

#include <string_view>

namespace tsfs::fusefs {
namespace {

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

}  // namespace

std::string AbsoluteSource(const std::string& source, const std::string& cwd) {
  constexpr std::string_view kVtape = "vtape:";
  constexpr std::string_view kVtlib = "vtlib:";
  std::string_view rest = source;
  std::string prefix;
  if (rest.substr(0, kVtape.size()) == kVtape) {
    prefix = std::string(kVtape);
    rest.remove_prefix(kVtape.size());
  } else if (rest.substr(0, kVtlib.size()) == kVtlib) {
    prefix = std::string(kVtlib);
    rest.remove_prefix(kVtlib.size());
  } else {
    const std::string_view path = rest.substr(0, rest.find('?'));
    if (!EndsWith(path, ".tap")) return source;
  }
  if (rest.empty() || rest.front() == '/' || cwd.empty()) return source;
  std::string base = cwd;
  if (base.back() != '/') base += '/';
  return prefix + base + std::string(rest);
}

}  // namespace tsfs::fusefs
