// Makes the image path in a vtape SOURCE absolute (the daemon runs in /).
// Other sources (rtsN, /dev/..., iscsi://) come back unchanged.
// Pure function; thread-safe.
#pragma once

#include <string>

namespace tsfs::fusefs {

std::string AbsoluteSource(const std::string& source, const std::string& cwd);

}  // namespace tsfs::fusefs
