#include "tapecore/unit/erase_progress.h"

#include <chrono>
#include <optional>
#include <string>
#include <thread>

namespace tsfs {

namespace {

constexpr auto kPoll = std::chrono::seconds(1);
constexpr auto kReportEvery = std::chrono::seconds(10);
constexpr auto kGiveUp = std::chrono::hours(4);  // as SscTimeouts::long_op

// NOT READY 04/xx "in progress" answers: 04/04 format, 04/07 operation,
// 04/16 (any operation in progress).
bool InProgress(const SenseData& s) {
  return s.key == SenseKey::kNotReady && s.asc == 0x04 &&
         (s.ascq == 0x04 || s.ascq == 0x07 || s.ascq == 0x16 || s.ascq == 0x01);
}

// Percentage from the sense-key-specific progress field (SKSV, bytes 16-17
// of fixed sense), or -1.
int ProgressPercent(const SenseData& s) {
  if ((s.response_code & 0x7E) != 0x70 || s.raw.size() < 18 || (s.raw[15] & 0x80) == 0) return -1;
  const unsigned value = (static_cast<unsigned>(s.raw[16]) << 8) | s.raw[17];
  return static_cast<int>(value * 100 / 65536);
}

}  // namespace

Status EraseWithProgress(Ssc& ssc, const Diagnostics& diag) {
  Status e = ssc.Erase(/*long_erase=*/true, /*immediate=*/true);
  if (!e.ok() && e.sense() && e.sense()->Is(SenseKey::kIllegalRequest, 0x24, 0x00)) {
    // IMMED refused (invalid field in CDB): erase in one long command.
    e = ssc.Erase(/*long_erase=*/true, /*immediate=*/false);
  }
  if (!e.ok()) return e;
  const auto start = std::chrono::steady_clock::now();
  // The first "in progress" answer is reported at once (the administrator
  // learns that the erase runs and how far it is), then every kReportEvery.
  std::optional<std::chrono::steady_clock::time_point> last_report;
  for (;;) {
    Status ready = ssc.TestUnitReady();
    if (ready.ok()) return Status::Ok();
    const SenseData* s = ready.sense();
    if (s == nullptr || !InProgress(*s)) return ready;
    const auto now = std::chrono::steady_clock::now();
    if (now - start > kGiveUp) {
      return Status::Error(ErrorCode::kIo, "erase did not finish").WithContext("erase");
    }
    if (!last_report || now - *last_report >= kReportEvery) {
      last_report = now;
      const int pct = ProgressPercent(*s);
      const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now - start).count();
      diag.Line(LogLevel::kInfo, "erasing: " + (pct >= 0 ? std::to_string(pct) + "%, " : "") +
                                     std::to_string(secs) + " s");
    }
    std::this_thread::sleep_for(kPoll);
  }
}

}  // namespace tsfs
