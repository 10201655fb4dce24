#include "tapecore/unit/diagnostics.h"

#include <sstream>

#include "tapecore/scsi/sense.h"
#include "tapecore/scsi/ts_words.h"

namespace tsfs {

void Diagnostics::CommandFailed(const Status& status) const {
  if (status.ok()) return;
  std::string line = status.message();
  if (status.code() != ErrorCode::kScsi && status.code() != ErrorCode::kNoSpace &&
      status.code() != ErrorCode::kReadOnly && !status.context().empty()) {
    line = status.context() + ": " + line;
  }
  Line(LogLevel::kError, line);
  const SenseData* sense = status.sense();
  if (sense == nullptr || prsense_ || !IsUnusualSense(*sense)) return;
  SenseDump(HexBytes(status.cdb()), HexBytes(sense->raw), DescribeSense(sense->raw));
}

void Diagnostics::SenseDump(std::string_view cdb_hex, std::string_view sense_hex,
                            std::string_view decoded) const {
  Line(LogLevel::kError, "command: " + std::string(cdb_hex));
  Line(LogLevel::kError, "sense: " + std::string(sense_hex));
  std::istringstream lines{std::string(decoded)};
  std::string l;
  while (std::getline(lines, l)) {
    if (!l.empty()) Line(LogLevel::kError, "  " + l);
  }
}

}  // namespace tsfs
