// Runs the built tstape program as a user would, for the tstape tests.
#pragma once

#include <string>
#include <vector>

#include "tests/support/process.h"

namespace tsfs::testing {

// Runs `tstape ARGS...` (the binary of this build) with a 60 s limit; a
// failure to run it at all is a test failure and an empty result.
CommandResult Tstape(std::vector<std::string> args);

// True when `part` occurs in `text`.
bool Has(const std::string& text, const std::string& part);

}  // namespace tsfs::testing
