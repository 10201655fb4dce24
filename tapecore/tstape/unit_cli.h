// Shared by the tstape commands that go through a TapeUnit (write, read,
// list): the common options (--config, --norewind, --buffer-kb, --quiet),
// opening the unit, error lines.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include "tapecore/status.h"
#include "tapecore/tstape/cli_support.h"
#include "tapecore/tstape/commands.h"
#include "tapecore/tstape/progress.h"
#include "tapecore/unit/logger.h"
#include "tapecore/unit/tape_unit.h"

namespace tsfs::tstape {

struct UnitOptions {
  std::string source;
  std::string config;  // empty: the default tsbconf path
  bool norewind = false;
  size_t buffer_kb = 0;  // 0: the unit's configured size
  bool quiet = false;    // no progress line, even on a terminal
};

// Adds --help, --config, --norewind, --buffer-kb, --quiet to `desc`, bound to `out`.
void AddUnitOptions(boost::program_options::options_description& desc, UnitOptions& out);

// Resolves the source and opens the unit; prints the error and returns null.
std::unique_ptr<TapeUnit> OpenUnit(const char* command, const UnitOptions& options, Logger& logger);

// Prints "tstape COMMAND: error" on stderr; returns 1.
int ReportError(const char* command, const Status& status);

}  // namespace tsfs::tstape
