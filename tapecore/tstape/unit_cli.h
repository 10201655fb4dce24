// Shared by the tstape commands that go through a TapeUnit (write, read,
// list): the common options (--config, --norewind, --buffer-kb), opening the
// unit, error lines and progress on stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include "tapecore/status.h"
#include "tapecore/tstape/cli_support.h"
#include "tapecore/tstape/commands.h"
#include "tapecore/unit/logger.h"
#include "tapecore/unit/tape_unit.h"

namespace tsfs::tstape {

struct UnitOptions {
  std::string source;
  std::string config;  // empty: the default tsbconf path
  bool norewind = false;
  size_t buffer_kb = 0;  // 0: the unit's configured size
};

// Adds --config, --norewind, --buffer-kb to `desc`, bound to `out`.
void AddUnitOptions(boost::program_options::options_description& desc, UnitOptions& out);

// Resolves the source and opens the unit; prints the error and returns null.
std::unique_ptr<TapeUnit> OpenUnit(const char* command, const UnitOptions& options, Logger& logger);

// Prints "tstape COMMAND: error" on stderr; returns 1.
int ReportError(const char* command, const Status& status);

// Progress on stderr, only when stderr is a terminal: "\r  12.0 MiB  34.5 MB/s".
class Progress final {
 public:
  explicit Progress(const char* verb);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void Add(uint64_t bytes);
  void Done();

 private:
  void Print(bool final_line);
  const char* verb_;
  bool enabled_;
  bool done_ = false;
  uint64_t bytes_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace tsfs::tstape
