#include "tapecore/vtlib/vtlib_options.h"

#include <charconv>
#include <string>
#include <string_view>

#include "tapecore/vtape/vtape_options.h"

namespace tsfs::vtlib {

namespace {

constexpr std::string_view kPrefix = "vtlib:";

Status Bad(std::string_view option, std::string_view why) {
  return Status::Error(ErrorCode::kInvalidArgument,
                       "vtlib option '" + std::string(option) + "': " + std::string(why));
}

Result<uint64_t> Number(std::string_view key, std::string_view value, uint64_t lo, uint64_t hi) {
  uint64_t n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
    // Appended, not '+': GCC 12 at -O3 reports a false -Wrestrict for
    // "'" + std::string(...) (GCC bug 105329).
    std::string why = "'";
    why.append(value).append("' is not a number");
    return Bad(key, why);
  }
  if (n < lo || n > hi) {
    return Bad(key,
               std::to_string(n) + " is not in " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  return n;
}

// Calls `each` for every comma-separated part of `list`.
template <typename F>
Status ForEachItem(std::string_view key, std::string_view list, F each) {
  if (list.empty()) return Bad(key, "empty list");
  size_t at = 0;
  while (at <= list.size()) {
    const size_t comma = list.find(',', at);
    const std::string_view item =
        list.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
    if (item.empty()) return Bad(key, "empty item");
    TSFS_RETURN_IF_ERROR(each(item));
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
  return Status::Ok();
}

Status Apply(std::string_view key, std::string_view value, bool has_value, VtlibOptions& o) {
  if (key == "pace") {
    if (has_value) return Bad(key, "takes no value");
    o.pace = true;
    return Status::Ok();
  }
  if (!has_value) return Bad(key, "needs a value (" + std::string(key) + "=...)");
  if (key == "drives") {
    TSFS_ASSIGN_OR_RETURN(uint64_t n, Number(key, value, 1, 16));
    o.drives = static_cast<int>(n);
  } else if (key == "slots") {
    TSFS_ASSIGN_OR_RETURN(uint64_t n, Number(key, value, 1, 4000));
    o.slots = static_cast<int>(n);
  } else if (key == "ie") {
    TSFS_ASSIGN_OR_RETURN(uint64_t n, Number(key, value, 0, 16));
    o.import_export = static_cast<int>(n);
  } else if (key == "robot") {
    TSFS_ASSIGN_OR_RETURN(uint64_t n, Number(key, value, 0, 600'000));
    o.robot_ms = static_cast<uint32_t>(n);
  } else if (key == "loadms") {
    TSFS_ASSIGN_OR_RETURN(uint64_t n, Number(key, value, 0, 600'000));
    o.load_ms = static_cast<uint32_t>(n);
  } else if (key == "capacity") {
    TSFS_ASSIGN_OR_RETURN(o.capacity, vtape::ParseSize(value, "capacity"));
  } else if (key == "ew") {
    TSFS_ASSIGN_OR_RETURN(o.early_warning, vtape::ParseSize(value, "ew"));
  } else if (key == "rate") {
    TSFS_ASSIGN_OR_RETURN(uint64_t n, Number(key, value, 0, 100'000));
    o.rate_mb_s = static_cast<double>(n);
  } else if (key == "drivebuf") {
    TSFS_ASSIGN_OR_RETURN(o.drive_buffer, vtape::ParseSize(value, "drivebuf"));
  } else if (key == "ro") {
    return ForEachItem(key, value, [&](std::string_view t) {
      o.read_only.emplace(t);
      return Status::Ok();
    });
  } else if (key == "missing") {
    return ForEachItem(key, value, [&](std::string_view t) {
      o.missing.emplace(t);
      return Status::Ok();
    });
  } else if (key == "failmove") {
    return ForEachItem(key, value, [&](std::string_view t) -> Status {
      TSFS_ASSIGN_OR_RETURN(uint64_t n, Number(key, t, 1, UINT32_MAX));
      o.fail_moves.insert(n);
      return Status::Ok();
    });
  } else if (key == "stuck") {
    return ForEachItem(key, value, [&](std::string_view t) -> Status {
      TSFS_ASSIGN_OR_RETURN(uint64_t n, Number(key, t, 0, 15));
      o.stuck_drives.insert(static_cast<int>(n));
      return Status::Ok();
    });
  } else if (key == "gone") {
    return ForEachItem(key, value, [&](std::string_view t) -> Status {
      const size_t at = t.find('@');
      TSFS_ASSIGN_OR_RETURN(uint64_t d, Number(key, t.substr(0, at), 0, 15));
      uint64_t after = 0;
      if (at != std::string_view::npos) {
        TSFS_ASSIGN_OR_RETURN(after, Number(key, t.substr(at + 1), 1, UINT32_MAX));
      }
      o.gone_drives[static_cast<int>(d)] = after;
      return Status::Ok();
    });
  } else {
    return Bad(key, "unknown option");
  }
  return Status::Ok();
}

}  // namespace

bool IsVtlibSource(const std::string& source) {
  return std::string_view(source).substr(0, kPrefix.size()) == kPrefix;
}

Result<VtlibOptions> ParseVtlibSpec(const std::string& spec) {
  if (!IsVtlibSource(spec)) {
    return Status::Error(ErrorCode::kInvalidArgument,
                         "not a vtape library source (vtlib:DIR[?options]): " + spec);
  }
  const std::string_view rest = std::string_view(spec).substr(kPrefix.size());
  const size_t q = rest.find('?');
  VtlibOptions o;
  o.directory = std::string(rest.substr(0, q));
  if (o.directory.empty()) {
    return Status::Error(ErrorCode::kInvalidArgument, "vtlib: no directory in " + spec);
  }
  if (q == std::string_view::npos) return o;
  const std::string_view options = rest.substr(q + 1);
  size_t at = 0;
  while (at < options.size()) {
    size_t amp = options.find('&', at);
    if (amp == std::string_view::npos) amp = options.size();
    const std::string_view part = options.substr(at, amp - at);
    at = amp + 1;
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    const std::string_view key = part.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    TSFS_RETURN_IF_ERROR(Apply(key, value, eq != std::string_view::npos, o));
  }
  if (o.early_warning > o.capacity) return Bad("ew", "larger than the capacity");
  for (int d : o.stuck_drives) {
    if (d >= o.drives) return Bad("stuck", "drive " + std::to_string(d) + " does not exist");
  }
  for (const auto& [d, after] : o.gone_drives) {
    if (d >= o.drives) return Bad("gone", "drive " + std::to_string(d) + " does not exist");
  }
  return o;
}

}  // namespace tsfs::vtlib
