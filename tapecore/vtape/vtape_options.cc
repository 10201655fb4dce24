#include "tapecore/vtape/vtape_options.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace tsfs::vtape {
namespace {

Status Invalid(std::string_view what, std::string_view value, std::string_view why) {
  return Status::Error(
      ErrorCode::kInvalidArgument,
      "vtape option " + std::string(what) + "='" + std::string(value) + "': " + std::string(why));
}

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

Result<double> ParseDouble(std::string_view text, std::string_view what) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v) ||
      v < 0) {
    return Invalid(what, text, "not a non-negative number");
  }
  return v;
}

}  // namespace

Result<uint64_t> ParseSize(std::string_view text, std::string_view what) {
  std::string_view t = text;
  if (EndsWith(t, "iB")) {
    t.remove_suffix(2);
  } else if (EndsWith(t, "B")) {
    t.remove_suffix(1);
  }
  int shift = 0;
  if (!t.empty()) {
    switch (std::toupper(static_cast<unsigned char>(t.back()))) {
      case 'K':
        shift = 10;
        break;
      case 'M':
        shift = 20;
        break;
      case 'G':
        shift = 30;
        break;
      case 'T':
        shift = 40;
        break;
      default:
        break;
    }
    if (shift) t.remove_suffix(1);
  }
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size()) {
    return Invalid(what, text, "not a size (e.g. 44M, 512K, 1G)");
  }
  if (shift && n > (UINT64_MAX >> shift)) return Invalid(what, text, "too large");
  return n << shift;
}

Result<VtapeOptions> ParseVtapeSpec(const std::string& spec) {
  std::string_view s = spec;
  if (s.substr(0, 6) == "vtape:") s.remove_prefix(6);
  VtapeOptions o;
  const size_t q = s.find('?');
  o.path = std::string(s.substr(0, q));
  if (o.path.empty()) {
    return Status::Error(ErrorCode::kInvalidArgument, "vtape source '" + spec + "' names no image");
  }
  bool ew_given = false;
  std::string_view rest = q == std::string_view::npos ? std::string_view() : s.substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    const std::string_view name = item.substr(0, eq);
    const bool has_value = eq != std::string_view::npos;
    const std::string_view value = has_value ? item.substr(eq + 1) : std::string_view();
    auto need_value = [&]() -> Status {
      if (!has_value || value.empty()) {
        return Status::Error(ErrorCode::kInvalidArgument,
                             "vtape option " + std::string(name) + " needs a value");
      }
      return Status::Ok();
    };
    auto no_value = [&]() -> Status {
      if (has_value) {
        return Status::Error(ErrorCode::kInvalidArgument,
                             "vtape option " + std::string(name) + " takes no value");
      }
      return Status::Ok();
    };
    if (name == "capacity") {
      TSFS_RETURN_IF_ERROR(need_value());
      TSFS_ASSIGN_OR_RETURN(o.capacity, ParseSize(value, name));
      if (o.capacity == 0) return Invalid(name, value, "must be more than 0");
      o.capacity_given = true;
    } else if (name == "ew") {
      TSFS_RETURN_IF_ERROR(need_value());
      TSFS_ASSIGN_OR_RETURN(o.early_warning, ParseSize(value, name));
      ew_given = true;
    } else if (name == "ro") {
      TSFS_RETURN_IF_ERROR(no_value());
      o.read_only = true;
    } else if (name == "create") {
      TSFS_RETURN_IF_ERROR(no_value());
      o.create = true;
    } else if (name == "poweron") {
      TSFS_RETURN_IF_ERROR(no_value());
      o.power_on_attention = true;
    } else if (name == "fail") {
      TSFS_RETURN_IF_ERROR(need_value());
      TSFS_ASSIGN_OR_RETURN(auto rules, ParseFaultRules(value));
      o.faults.insert(o.faults.end(), rules.begin(), rules.end());
    } else if (name == "rate") {
      TSFS_RETURN_IF_ERROR(need_value());
      TSFS_ASSIGN_OR_RETURN(o.rate_mb_s, ParseDouble(value, name));
    } else if (name == "erase") {
      TSFS_RETURN_IF_ERROR(need_value());
      TSFS_ASSIGN_OR_RETURN(o.erase_seconds, ParseDouble(value, name));
    } else if (name == "drivebuf") {
      TSFS_RETURN_IF_ERROR(need_value());
      const bool plain = std::isdigit(static_cast<unsigned char>(value.back()));
      TSFS_ASSIGN_OR_RETURN(o.drive_buffer, ParseSize(value, name));
      if (plain) {
        if (o.drive_buffer > (uint64_t{1} << 40)) return Invalid(name, value, "too large");
        o.drive_buffer <<= 20;
      }
      if (o.drive_buffer == 0) return Invalid(name, value, "must be more than 0");
    } else if (name == "drivestart") {
      TSFS_RETURN_IF_ERROR(need_value());
      TSFS_ASSIGN_OR_RETURN(const double pct, ParseDouble(value, name));
      if (pct <= 0 || pct > 100) return Invalid(name, value, "a percentage in (0, 100]");
      o.drive_start = pct / 100;
    } else if (name == "pace") {
      TSFS_RETURN_IF_ERROR(no_value());
      o.pace = true;
    } else if (name == "delay") {
      if (has_value) {
        TSFS_ASSIGN_OR_RETURN(o.delay_ms, ParseDouble(value, name));
      } else {
        o.delay_ms = 2;
      }
    } else {
      return Status::Error(ErrorCode::kInvalidArgument,
                           "unknown vtape option '" + std::string(name) + "' in '" + spec +
                               "' (known: capacity ew ro create poweron fail rate drivebuf "
                               "drivestart pace delay erase)");
    }
  }
  if (ew_given && o.early_warning > o.capacity) {
    return Status::Error(ErrorCode::kInvalidArgument,
                         "vtape option ew is larger than the capacity");
  }
  if (!ew_given && o.early_warning > o.capacity / 2) o.early_warning = o.capacity / 2;
  o.early_warning_given = ew_given;
  return o;
}

}  // namespace tsfs::vtape
