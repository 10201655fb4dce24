#include "tapecore/tstape/data_phase_stats.h"

#include <cstdio>

namespace tsfs::tstape {

void DataPhaseStats::Print(const char* command, uint64_t bytes) const {
  const double secs = std::chrono::duration<double>(stop_ - start_).count();
  const double rate = secs > 0 ? static_cast<double>(bytes) / secs / 1e6 : 0;
  std::fprintf(stderr, "tstape %s: %llu bytes in %.6f s, %.1f MB/s (data phase)\n", command,
               static_cast<unsigned long long>(bytes), secs, rate);
}

}  // namespace tsfs::tstape
