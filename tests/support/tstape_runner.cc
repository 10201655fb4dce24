#include "tests/support/tstape_runner.h"

#include <gtest/gtest.h>

#include <chrono>

namespace tsfs::testing {

CommandResult Tstape(std::vector<std::string> args) {
  args.insert(args.begin(), std::string(TSFS_BINARY_DIR) + "/tapecore/tstape/tstape");
  auto r = RunCommand(args, std::chrono::seconds(60));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : CommandResult{};
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace tsfs::testing
