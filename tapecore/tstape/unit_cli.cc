#include "tapecore/tstape/unit_cli.h"

#include <boost/program_options/parsers.hpp>
#include <boost/program_options/positional_options.hpp>
#include <boost/program_options/value_semantic.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "tapecore/unit/unit_config.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

void AddUnitOptions(po::options_description& desc, UnitOptions& out) {
  desc.add_options()("help,h", "show this help")(
      "config", po::value<std::string>(&out.config),
      "tsbconf configuration file for rts0..rts15 (default /etc/tsfs/tsbconf.conf)")(
      "norewind", po::bool_switch(&out.norewind), "leave the tape where it is at the end")(
      "buffer-kb", po::value<size_t>(&out.buffer_kb),
      "size of each of the two streaming buffers in KiB")("quiet,q", po::bool_switch(&out.quiet),
                                                          "no progress line on a terminal");
}

std::unique_ptr<TapeUnit> OpenUnit(const char* command, const UnitOptions& options,
                                   Logger& logger) {
  Result<UnitConfig> config = ResolveSource(options.source, options.config);
  if (!config.ok()) {
    ReportError(command, config.status());
    return nullptr;
  }
  // The unit's chap-secret-file, else TSFS_CHAP_SECRET (see tsfs(8), CHAP SECRETS).
  const char* env_secret = std::getenv(kChapSecretEnv);
  if (auto secret = ApplyChapSecret(*config, {"", env_secret != nullptr ? env_secret : ""});
      !secret.ok()) {
    ReportError(command, secret.status());
    return nullptr;
  }
  if (options.norewind) config->rewind_on_release = false;
  if (options.buffer_kb > 0) config->buffer_kb = options.buffer_kb;
  Result<std::unique_ptr<TapeUnit>> unit = TapeUnit::Open(*config, logger);
  if (!unit.ok()) {
    ReportError(command, unit.status());
    return nullptr;
  }
  return std::move(unit).value();
}

int ReportError(const char* command, const Status& status) {
  std::fprintf(stderr, "tstape %s: %s\n", command, status.ToString().c_str());
  return 1;
}

}  // namespace tsfs::tstape
