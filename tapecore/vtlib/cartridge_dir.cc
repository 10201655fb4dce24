#include "tapecore/vtlib/cartridge_dir.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>

namespace tsfs::vtlib {

namespace {

constexpr std::string_view kSuffix = ".tap";

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status Bad(const std::string& file, const std::string& why) {
  return Status::Error(ErrorCode::kInvalidArgument, "vtlib: " + file + ": " + why);
}

}  // namespace

bool ValidVolumeTag(const std::string& tag) {
  if (tag.empty() || tag.size() > 32) return false;
  return std::all_of(tag.begin(), tag.end(), [](char c) { return c > ' ' && c < 0x7F; });
}

Result<CartridgeLayout> ScanCartridges(const std::string& directory, int slots) {
  DIR* dir = ::opendir(directory.c_str());
  if (dir == nullptr) {
    const int err = errno;
    return Status::Error(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                         "vtlib: cannot open directory " + directory + ": " + std::strerror(err));
  }
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(dir)) {
    const std::string name = e->d_name;
    if (name.size() > kSuffix.size() && name.ends_with(kSuffix)) names.push_back(name);
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());

  std::map<int, Cartridge> by_slot;
  std::set<std::string> tags;
  std::vector<Cartridge> unplaced;
  for (const std::string& name : names) {
    const std::string stem = name.substr(0, name.size() - kSuffix.size());
    Cartridge c;
    c.path = directory + "/" + name;
    const size_t dash = stem.find('-');
    const std::string head = stem.substr(0, dash);
    if (AllDigits(stem) || (dash != std::string::npos && AllDigits(head))) {
      if (head.size() > 4) return Bad(name, "slot number too large");
      c.slot = std::stoi(head);
      if (c.slot < 1) return Bad(name, "slot numbers start at 1");
      if (dash != std::string::npos) c.volume_tag = stem.substr(dash + 1);
    } else {
      c.volume_tag = stem;
    }
    if (c.volume_tag) {
      if (!ValidVolumeTag(*c.volume_tag)) {
        return Bad(name, "volume tag '" + *c.volume_tag +
                             "' is not 1..32 printable characters without spaces");
      }
      if (!tags.insert(*c.volume_tag).second) {
        return Bad(name, "volume tag " + *c.volume_tag + " given twice");
      }
    }
    if (c.slot == 0) {
      unplaced.push_back(std::move(c));
    } else if (!by_slot.emplace(c.slot, c).second) {
      return Bad(name, "slot " + std::to_string(c.slot) + " holds two cartridges");
    }
  }
  int next = 1;
  for (Cartridge& c : unplaced) {
    while (by_slot.count(next)) ++next;
    c.slot = next;
    by_slot.emplace(next, std::move(c));
  }
  CartridgeLayout out;
  const int needed = by_slot.empty() ? 1 : by_slot.rbegin()->first;
  out.slots = slots > 0 ? slots : needed;
  if (needed > out.slots) {
    return Bad(by_slot.rbegin()->second.path, "needs slot " + std::to_string(needed) +
                                                  " but the library has " +
                                                  std::to_string(out.slots));
  }
  for (auto& [slot, c] : by_slot) out.cartridges.push_back(std::move(c));
  return out;
}

}  // namespace tsfs::vtlib
