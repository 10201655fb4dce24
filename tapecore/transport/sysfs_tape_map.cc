#include "tapecore/transport/sysfs_tape_map.h"

#include <linux/major.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>
#include <vector>

namespace tsfs {
namespace {

namespace fs = std::filesystem;

std::string DevNumbers(unsigned major_number, unsigned minor_number) {
  return std::to_string(major_number) + ":" + std::to_string(minor_number);
}

// The first line of a small sysfs attribute file, without the newline.
std::optional<std::string> ReadLine(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::string line;
  std::getline(in, line);
  if (in.bad()) return std::nullopt;
  return line;
}

std::optional<uint64_t> ReadNumber(const fs::path& file) {
  std::optional<std::string> line = ReadLine(file);
  if (!line) return std::nullopt;
  uint64_t value = 0;
  const char* end = line->data() + line->size();
  auto [ptr, ec] = std::from_chars(line->data(), end, value);
  if (ec != std::errc() || ptr == line->data()) return std::nullopt;
  return value;
}

bool IsDirectory(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

// sgN names in a scsi device's directory: scsi_generic/sgN, or the
// "scsi_generic:sgN" links of kernels built with CONFIG_SYSFS_DEPRECATED.
std::vector<std::string> SgNamesOf(const fs::path& scsi_device) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(scsi_device / "scsi_generic", ec)) {
    std::string n = e.path().filename().string();
    if (n.rfind("sg", 0) == 0) names.push_back(n);
  }
  if (names.empty()) {
    ec.clear();
    for (const auto& e : fs::directory_iterator(scsi_device, ec)) {
      std::string n = e.path().filename().string();
      if (n.rfind("scsi_generic:sg", 0) == 0) names.push_back(n.substr(13));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

Result<std::string> SgNameForTape(const std::string& sysfs_root, unsigned major_number,
                                  unsigned minor_number, const std::string& node) {
  const std::string numbers = DevNumbers(major_number, minor_number);
  // By numbers first: that also finds a renamed node or a /dev/tape/by-id link.
  fs::path class_device = fs::path(sysfs_root) / "dev" / "char" / numbers;
  if (!IsDirectory(class_device)) {
    fs::path by_name =
        fs::path(sysfs_root) / "class" / "scsi_tape" / fs::path(node).filename().string();
    std::optional<std::string> dev = ReadLine(by_name / "dev");
    if (!dev || *dev != numbers) {
      return Status::Error(ErrorCode::kNotFound,
                           node + " (character device " + numbers +
                               ") is not a SCSI tape known to sysfs (looked in " +
                               class_device.string() + " and " + by_name.string() + ")");
    }
    class_device = by_name;
  }
  const fs::path scsi_device = class_device / "device";
  std::vector<std::string> names = SgNamesOf(scsi_device);
  if (names.empty()) {
    return Status::Error(ErrorCode::kUnsupported,
                         node +
                             " has no SCSI generic device: tsfs sends its commands through "
                             "/dev/sgN; load the sg module (modprobe sg) and try again (no " +
                             (scsi_device / "scsi_generic").string() + ")");
  }
  return names.front();
}

Result<SgNode> ResolveSgNode(const std::string& path, const std::string& sysfs_root,
                             const std::string& dev_dir) {
  SgNode out;
  out.path = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISCHR(st.st_mode)) return out;
  const unsigned major_number = major(st.st_rdev);
  const unsigned minor_number = minor(st.st_rdev);
  if (major_number == SCSI_GENERIC_MAJOR) {
    out.sg_name = fs::path(path).filename().string();
    return out;
  }
  if (major_number != SCSI_TAPE_MAJOR) return out;
  TSFS_ASSIGN_OR_RETURN(std::string name,
                        SgNameForTape(sysfs_root, major_number, minor_number, path));
  out.sg_name = name;
  out.tape_node = path;
  out.path = (fs::path(dev_dir) / name).string();
  struct stat sg {};
  if (::stat(out.path.c_str(), &sg) != 0) {
    return Status::Error(ErrorCode::kNotFound, path + " is " + name + " in sysfs, but " + out.path +
                                                   " cannot be used: " + std::strerror(errno));
  }
  if (!S_ISCHR(sg.st_mode) || major(sg.st_rdev) != SCSI_GENERIC_MAJOR) {
    return Status::Error(ErrorCode::kInvalidArgument,
                         path + " is " + name + " in sysfs, but " + out.path +
                             " is not a SCSI generic character device");
  }
  return out;
}

SysfsTransferLimits ReadSysfsTransferLimits(const std::string& sysfs_root,
                                            const std::string& sg_name, size_t page_size) {
  SysfsTransferLimits out;
  auto consider = [&out](std::optional<uint64_t> value, uint64_t unit, const std::string& what) {
    if (!value || *value == 0) return;
    const uint64_t bytes = *value * unit;
    if (out.max_bytes == 0 || bytes < out.max_bytes) out.max_bytes = static_cast<size_t>(bytes);
    if (!out.source.empty()) out.source += ", ";
    out.source += what + " " + std::to_string(*value);
    if (unit != 1 && unit != 1024 && unit != 512) out.source += " x " + std::to_string(unit);
  };
  const fs::path device = fs::path(sysfs_root) / "class" / "scsi_generic" / sg_name / "device";
  if (!IsDirectory(device)) return out;

  // A request queue shows only where the device also has a block node.
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(device / "block", ec)) {
    const fs::path queue = e.path() / "queue";
    consider(ReadNumber(queue / "max_sectors_kb"), 1024, "max_sectors_kb");
    consider(ReadNumber(queue / "max_hw_sectors_kb"), 1024, "max_hw_sectors_kb");
    consider(ReadNumber(queue / "max_segments"), page_size, "max_segments");
    break;
  }
  consider(ReadNumber(device / "max_sectors"), 512, "max_sectors");

  // The host adapter: the scsi device directory is named H:C:T:L.
  fs::path resolved = fs::canonical(device, ec);
  if (!ec) {
    const std::string hctl = resolved.filename().string();
    const size_t colon = hctl.find(':');
    if (colon != std::string::npos && colon > 0) {
      const fs::path host =
          fs::path(sysfs_root) / "class" / "scsi_host" / ("host" + hctl.substr(0, colon));
      consider(ReadNumber(host / "sg_tablesize"), page_size, "sg_tablesize");
    }
  }
  return out;
}

}  // namespace tsfs
