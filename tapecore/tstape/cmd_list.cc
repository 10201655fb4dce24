// tstape list SOURCE: index, blocks and bytes of every tape file, from the
// unit's catalog (O(files) tape motion).
#include <cstdio>

#include "tapecore/tstape/unit_cli.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

int RunList(const Args& args) {
  static constexpr const char* kSynopsis = "list SOURCE";
  UnitOptions options;
  po::options_description desc("options");
  AddUnitOptions(desc, options);
  desc.add_options()("source", po::value<std::string>(&options.source)->required(), "tape source");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, kSynopsis, desc, {"source"}, vm); rc >= 0) return rc;

  SystemLogger logger("tstape", /*to_syslog=*/false, /*to_stderr=*/true);
  std::unique_ptr<TapeUnit> unit = OpenUnit("list", options, logger);
  if (!unit) return 1;
  Result<std::vector<TapeFileInfo>> files = unit->Catalog();
  if (!files.ok()) return ReportError("list", files.status());
  const uint32_t bs = unit->config().block_size;
  std::printf("%5s %12s %14s\n", "file", "blocks", "bytes");
  for (const TapeFileInfo& f : *files) {
    if (f.size_known) {
      std::printf("%5d %12llu %14llu", f.index, static_cast<unsigned long long>(f.blocks),
                  static_cast<unsigned long long>(f.blocks * bs));
    } else {
      std::printf("%5d %12s %14s", f.index, "?", "?");
    }
    if (!f.size_known) std::printf("  (size unknown on this target until read)");
    if (!f.complete) std::printf("  (no filemark: incomplete)");
    std::printf("\n");
  }
  Status released = unit->Release();
  if (!released.ok()) return ReportError("list", released);
  return 0;
}

}  // namespace tsfs::tstape
