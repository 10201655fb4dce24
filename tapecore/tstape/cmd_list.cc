// tstape list SOURCE [--json]: index, blocks and bytes of every tape file,
// from the unit's catalog (O(files) tape motion).
#include <cinttypes>
#include <cstdio>
#include <string>

#include "tapecore/tstape/json_writer.h"
#include "tapecore/tstape/unit_cli.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

namespace {

// The schema is in tstape(1), JSON OUTPUT; keep the two together.
std::string ListJson(const std::string& source, uint32_t block_size,
                     const std::vector<TapeFileInfo>& files) {
  JsonWriter json;
  json.BeginObject().String("source", source).Number("block_size", block_size);
  json.BeginArray("files");
  for (const TapeFileInfo& f : files) {
    json.BeginObject().Number("index", static_cast<uint64_t>(f.index));
    if (f.size_known) {
      json.Number("blocks", f.blocks).Number("bytes", f.bytes);
    } else {
      json.Null("blocks").Null("bytes");
    }
    json.Bool("size_known", f.size_known)
        .Bool("size_exact", f.size_known && f.size_exact)
        .Bool("complete", f.complete)
        .EndObject();
  }
  json.EndArray().EndObject();
  return json.Text();
}

}  // namespace

int RunList(const Args& args) {
  static constexpr const char* kSynopsis = "list SOURCE [--json]";
  UnitOptions options;
  po::options_description desc("options");
  AddUnitOptions(desc, options);
  desc.add_options()("json", "print JSON (schema in tstape(1))");
  desc.add_options()("source", po::value<std::string>(&options.source)->required(), "tape source");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, kSynopsis, desc, {"source"}, vm); rc >= 0) return rc;

  SystemLogger logger("tstape", /*to_syslog=*/false, /*to_stderr=*/true);
  std::unique_ptr<TapeUnit> unit = OpenUnit("list", options, logger);
  if (!unit) return 1;
  Result<std::vector<TapeFileInfo>> files = unit->Catalog();
  if (!files.ok()) return ReportError("list", files.status());
  const uint64_t bs = unit->config().block_size;
  if (vm.count("json")) {
    std::fputs(ListJson(options.source, unit->config().block_size, *files).c_str(), stdout);
  } else {
    std::printf("%5s %12s %14s\n", "file", "records", "bytes");
    for (const TapeFileInfo& f : *files) {
      if (f.size_known) {
        // "~": estimated from the record structure until the file is read.
        // Appended, not "~" + string: GCC 12 at -O3 gives a false -Wrestrict
        // on a literal put in front of a string.
        std::string bytes = f.size_exact ? "" : "~";
        bytes += std::to_string(f.bytes);
        std::printf("%5d %12" PRIu64 " %14s", f.index, f.blocks, bytes.c_str());
      } else {
        std::printf("%5d %12s %14s", f.index, "?", "?");
      }
      if (f.size_known && f.first_record != 0 && f.first_record != bs) {
        std::printf("  (records of %u bytes)", f.first_record);
      }
      if (!f.size_known) std::printf("  (size unknown on this target until read)");
      if (!f.complete) std::printf("  (no filemark: incomplete)");
      std::printf("\n");
    }
  }
  Status released = unit->Release();
  if (!released.ok()) return ReportError("list", released);
  return 0;
}

}  // namespace tsfs::tstape
