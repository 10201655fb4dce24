// The whole of a small text file (a tsbconf, a stored catalog) as one
// string, read with read(2) into a string sized from fstat: no stream copy
// (a stringstream copy was an eighth of a stored mount's time for a catalog
// of 100,000 files, tests/bench/metadata.sh).
#pragma once

#include <string>

#include "tapecore/status.h"

namespace tsfs {

// kNotFound when there is no such file (ENOENT, or a file where a directory
// of the path should be: ENOTDIR); kIo for any other failure, naming the path.
Result<std::string> ReadFileText(const std::string& path);

}  // namespace tsfs
