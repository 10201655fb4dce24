#include "tapecore/library/drive_matcher.h"

#include <string>

namespace tsfs::library {

Result<std::vector<int>> MatchDrives(const std::vector<smc::ElementStatus>& elements,
                                     const std::vector<smc::DriveIdentity>& drives) {
  std::vector<int> out(elements.size(), -1);
  bool any_identifier = false;
  for (const smc::ElementStatus& e : elements) any_identifier = any_identifier || e.device;
  if (!any_identifier) {
    if (elements.size() != drives.size()) {
      return Status::Error(ErrorCode::kConfig,
                           "the changer does not identify the drives in its " +
                               std::to_string(elements.size()) + " data transfer elements and " +
                               std::to_string(drives.size()) +
                               " drives were found: list them in element order");
    }
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<int>(i);
    return out;
  }
  std::vector<int> taken(drives.size(), -1);
  for (size_t i = 0; i < elements.size(); ++i) {
    for (size_t d = 0; d < drives.size(); ++d) {
      if (!smc::MatchesElement(drives[d], elements[i])) continue;
      if (taken[d] >= 0) {
        return Status::Error(ErrorCode::kConfig, "drive with serial '" + drives[d].serial +
                                                     "' matches two data transfer elements (" +
                                                     std::to_string(elements[taken[d]].address) +
                                                     " and " + std::to_string(elements[i].address) +
                                                     ")");
      }
      taken[d] = static_cast<int>(i);
      out[i] = static_cast<int>(d);
      break;
    }
  }
  // One element without an identifier and one drive left: they belong
  // together (tgtd cuts the identifier of its last element).
  int lone_element = -1, unmatched = 0;
  for (size_t i = 0; i < elements.size(); ++i) {
    if (out[i] >= 0) continue;
    ++unmatched;
    if (!elements[i].device) lone_element = static_cast<int>(i);
  }
  int lone_drive = -1, left = 0;
  for (size_t d = 0; d < drives.size(); ++d) {
    if (taken[d] >= 0) continue;
    ++left;
    lone_drive = static_cast<int>(d);
  }
  if (unmatched == 1 && lone_element >= 0 && left == 1) out[lone_element] = lone_drive;
  return out;
}

}  // namespace tsfs::library
