// tsbconf parsing. Boost.Program_options tokenises the INI text; it does not
// keep line numbers, so a scan of our own maps every key and section back to
// its line for the error messages.
#include "tapecore/unit/unit_config.h"

#include <boost/program_options/errors.hpp>
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/parsers.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "tapecore/file_text.h"
#include "tapecore/unit/catalog_store.h"

#include "tapecore/transport/chap_secret.h"
#include "tapecore/transport/iscsi_url.h"

namespace tsfs {

namespace {

constexpr int kMaxUnits = 8;                    // rts0..rts7; rts8..15 are their no-rewind names
constexpr uint64_t kMaxBufferKb = 64ull << 20;  // 64 GiB per buffer
constexpr uint64_t kMaxBlockSize = 0xFFFFFF;    // READ(6)/WRITE(6) transfer length field

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// One line of the file as our own scan sees it.
struct ScannedLine {
  enum Kind { kBlank, kSection, kKey, kInvalid } kind = kBlank;
  int number = 0;
  std::string section;  // for kSection: its name; for kKey: the enclosing one
  std::string key;      // for kKey
};

std::vector<ScannedLine> ScanLines(std::string_view text) {
  std::vector<ScannedLine> out;
  std::string section;
  int number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++number;
    if (const size_t hash = raw.find('#'); hash != std::string_view::npos)
      raw = raw.substr(0, hash);
    const std::string line = Trim(raw);
    ScannedLine sl;
    sl.number = number;
    if (line.empty()) {
      sl.kind = ScannedLine::kBlank;
    } else if (line.front() == '[' && line.back() == ']') {
      sl.kind = ScannedLine::kSection;
      section = Trim(std::string_view(line).substr(1, line.size() - 2));
      sl.section = section;
    } else if (const size_t eq = line.find('='); eq != std::string::npos) {
      sl.kind = ScannedLine::kKey;
      sl.section = section;
      sl.key = Trim(std::string_view(line).substr(0, eq));
    } else {
      sl.kind = ScannedLine::kInvalid;
    }
    out.push_back(std::move(sl));
    if (nl == text.size()) break;
  }
  return out;
}

Status ConfigError(const std::string& path, int line, const std::string& what) {
  return Status::Error(ErrorCode::kConfig, path + ":" + std::to_string(line) + ": " + what);
}

std::optional<uint64_t> ParseUnsigned(const std::string& s) {
  uint64_t v = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end) return std::nullopt;  // "" is invalid_argument
  return v;
}

std::optional<bool> ParseBool(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
  if (s == "false" || s == "no" || s == "off" || s == "0") return false;
  return std::nullopt;
}

// [library.N] sections belong to the library layer (library_tsbconf.h).
bool IsLibrarySection(const std::string& section) { return section.rfind("library.", 0) == 0; }

// "unit.N" -> N, or nullopt.
std::optional<int> UnitNumber(const std::string& section) {
  if (section.rfind("unit.", 0) != 0) return std::nullopt;
  const auto n = ParseUnsigned(section.substr(5));
  if (!n || *n > 1000) return std::nullopt;
  return static_cast<int>(*n);
}

// Applies one key to `cfg`; returns the problem in words, or "" when fine.
std::string ApplyKey(UnitConfig& cfg, const std::string& key, const std::string& value) {
  auto out_of_range = [&](uint64_t lo, uint64_t hi) {
    return "'" + value + "' is not a number from " + std::to_string(lo) + " to " +
           std::to_string(hi);
  };
  if (key == "device") {
    if (value.empty()) return "empty device";
    cfg.device = value;
  } else if (key == "buffer-kb") {
    const auto v = ParseUnsigned(value);
    if (!v || *v < 1 || *v > kMaxBufferKb) return out_of_range(1, kMaxBufferKb);
    cfg.buffer_kb = static_cast<size_t>(*v);
  } else if (key == "write-watermark" || key == "read-watermark") {
    const auto v = ParseUnsigned(value);
    if (!v || *v < 1 || *v > 100) return out_of_range(1, 100);
    (key == "write-watermark" ? cfg.write_watermark : cfg.read_watermark) =
        static_cast<unsigned>(*v);
  } else if (key == "write-watermark-max-kb") {
    const auto v = ParseUnsigned(value);
    if (!v || *v < 1 || *v > 2 * kMaxBufferKb) return out_of_range(1, 2 * kMaxBufferKb);
    cfg.write_watermark_max_kb = *v;
  } else if (key == "flags") {
    cfg.openfail = cfg.autoret = cfg.prsense = false;
    std::string norm = value;
    std::replace_if(
        norm.begin(), norm.end(), [](char c) { return c == ',' || c == '|'; }, ' ');
    std::istringstream words(norm);
    std::string flag;
    while (words >> flag) {
      std::string lower = flag;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      if (lower == "openfail" || lower == "tsc_openfail") {
        cfg.openfail = true;
      } else if (lower == "autoret" || lower == "tsc_autoret") {
        cfg.autoret = true;
      } else if (lower == "prsense" || lower == "tsc_prsense") {
        cfg.prsense = true;
      } else if (lower != "none" && lower != "0") {
        return "unknown flag '" + flag + "' (openfail, autoret, prsense)";
      }
    }
  } else if (key == "bits") {
    const auto v = ParseUnsigned(value);
    if (!v || *v > 255) return out_of_range(0, 255);
    cfg.bits = static_cast<int>(*v);
  } else if (key == "block-size") {
    const auto v = ParseUnsigned(value);
    if (!v || *v < 1 || *v > kMaxBlockSize) return out_of_range(1, kMaxBlockSize);
    cfg.block_size = static_cast<uint32_t>(*v);
  } else if (key == "erase-on-write") {
    const auto v = ParseBool(value);
    if (!v) return "'" + value + "' is not true or false";
    cfg.erase_on_write = *v;
  } else if (key == "chap-secret-file") {
    if (value.empty() || value.front() != '/') return "needs an absolute file name";
    cfg.chap_secret_file = value;
  } else if (key == "catalog-dir") {
    if (value.empty() || (value != "none" && value[0] != '/')) {
      return "'" + value + "' is not an absolute directory or none";
    }
    cfg.catalog_dir = value;
  } else if (std::chrono::milliseconds* field = TimeoutNamed(cfg.timeouts, key)) {
    const auto v = ParseTimeoutSeconds(value);
    if (!v) return "'" + value + "' is not a number of seconds from 0.1 to 86400";
    *field = *v;
  } else {
    return "unknown key (device, buffer-kb, write-watermark, write-watermark-max-kb, "
           "read-watermark, flags, bits, "
           "block-size, erase-on-write, chap-secret-file, catalog-dir, short-timeout, "
           "io-timeout, position-timeout, long-timeout)";
  }
  return "";
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseTimeoutSeconds(std::string_view text) {
  double seconds = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, seconds);
  if (text.empty() || ec != std::errc() || p != end || !(seconds >= 0.1 && seconds <= 86400.0)) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000.0));
}

std::chrono::milliseconds* TimeoutNamed(SscTimeouts& timeouts, std::string_view key) {
  constexpr std::string_view kSuffix = "timeout";
  if (key.size() <= kSuffix.size() + 1 || !key.ends_with(kSuffix)) return nullptr;
  const char sep = key[key.size() - kSuffix.size() - 1];
  if (sep != '_' && sep != '-') return nullptr;
  const std::string_view cls = key.substr(0, key.size() - kSuffix.size() - 1);
  if (cls == "short") return &timeouts.short_op;
  if (cls == "io") return &timeouts.normal;
  if (cls == "position") return &timeouts.position;
  if (cls == "long") return &timeouts.long_op;
  return nullptr;
}

std::string UnitConfig::Name() const {
  if (unit < 0) return RedactIscsiSecret(device);
  return "rts" + std::to_string(rewind_on_release ? unit : unit + kMaxUnits);
}

Result<std::vector<UnitConfig>> ParseTsbconf(std::string_view text, const std::string& path) {
  namespace po = boost::program_options;
  const std::vector<ScannedLine> lines = ScanLines(text);

  // Boost's tokeniser: every "key = value" under a section comes back as
  // "section.key" (unregistered, since unit numbers are open-ended).
  // Lines Boost would refuse are found by our own scan first, so its error
  // text is never needed: Boost 1.74's po::error::what() loops forever when
  // the offending line holds one of its own placeholders, such as
  // "%invalid_line%" (found by tests/fuzz/fuzz_tsbconf).
  for (const auto& l : lines) {
    if (l.kind == ScannedLine::kInvalid)
      return ConfigError(path, l.number, "invalid line (expected key = value)");
    if (l.kind == ScannedLine::kKey && l.key.empty())
      return ConfigError(path, l.number, "invalid line (no key before '=')");
  }
  std::vector<po::option> parsed;
  try {
    std::istringstream in{std::string(text)};
    po::options_description none;
    parsed = po::parse_config_file(in, none, /*allow_unregistered=*/true).options;
  } catch (const po::error&) {
    // what() is not called (see above).
    return Status::Error(ErrorCode::kConfig,
                         path + ": not a file of [unit.N] sections and key = value lines");
  }

  // Sections: each must be [unit.N], N in 0..7, at most once.
  std::map<int, UnitConfig> units;
  std::map<int, int> section_line;
  for (const auto& l : lines) {  // (kInvalid lines were refused above)
    if (l.kind == ScannedLine::kKey && l.section.empty()) {
      return ConfigError(path, l.number, l.key + ": key outside a [unit.N] section");
    }
    if (l.kind != ScannedLine::kSection) continue;
    if (IsLibrarySection(l.section)) continue;  // tapecore/library/library_tsbconf.h
    const auto n = UnitNumber(l.section);
    if (!n)
      return ConfigError(path, l.number,
                         "[" + l.section + "]: unknown section (expected [unit.N])");
    if (*n >= kMaxUnits) {
      return ConfigError(path, l.number,
                         "[" + l.section + "]: unit number out of range (0 to " +
                             std::to_string(kMaxUnits - 1) + ")");
    }
    if (section_line.count(*n)) {
      return ConfigError(path, l.number,
                         "[" + l.section + "]: duplicate unit (first at line " +
                             std::to_string(section_line[*n]) + ")");
    }
    section_line[*n] = l.number;
    UnitConfig cfg;
    cfg.unit = *n;
    units[*n] = cfg;
  }

  // Keys, matched in order with the scanned key lines for their numbers.
  std::vector<const ScannedLine*> key_lines;
  for (const auto& l : lines) {
    if (l.kind == ScannedLine::kKey) key_lines.push_back(&l);
  }
  std::set<std::string> seen;
  size_t next_key = 0;
  for (const auto& opt : parsed) {
    const std::string& full = opt.string_key;
    const std::string value = opt.value.empty() ? std::string() : Trim(opt.value.front());
    int line = 0;
    for (size_t i = next_key; i < key_lines.size(); ++i) {
      if (key_lines[i]->section + "." + key_lines[i]->key == full) {
        line = key_lines[i]->number;
        next_key = i + 1;
        break;
      }
    }
    const size_t dot = full.rfind('.');
    const std::string section = dot == std::string::npos ? "" : full.substr(0, dot);
    const std::string key = dot == std::string::npos ? full : full.substr(dot + 1);
    if (IsLibrarySection(section)) continue;
    const auto n = UnitNumber(section);
    if (!n || !units.count(*n))
      return ConfigError(path, line, full + ": key outside a [unit.N] section");
    if (!seen.insert(full).second)
      return ConfigError(path, line, "[" + section + "] " + key + ": given twice");
    const std::string problem = ApplyKey(units[*n], key, value);
    if (!problem.empty())
      return ConfigError(path, line, "[" + section + "] " + key + ": " + problem);
  }

  std::vector<UnitConfig> out;
  for (auto& [n, cfg] : units) {
    if (cfg.device.empty()) {
      return ConfigError(path, section_line[n], "[unit." + std::to_string(n) + "] device: missing");
    }
    if (!cfg.chap_secret_file.empty() && ChapUser(cfg.device).empty()) {
      return ConfigError(path, section_line[n],
                         "[unit." + std::to_string(n) +
                             "] chap-secret-file: the device is not iscsi://user@host/...");
    }
    if (static_cast<uint64_t>(cfg.buffer_kb) * 1024 < cfg.block_size) {
      return ConfigError(path, section_line[n],
                         "[unit." + std::to_string(n) + "] buffer-kb: smaller than one block of " +
                             std::to_string(cfg.block_size) + " bytes");
    }
    out.push_back(cfg);
  }
  return out;
}

Result<std::vector<UnitConfig>> LoadTsbconf(const std::string& path) {
  // A directory opens, and reading it gives nothing without setting a
  // stream error: it would pass as a file without units.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::Error(ErrorCode::kConfig, path + ": is a directory, not a configuration file");
  }
  Result<std::string> text = ReadFileText(path);
  if (!text.ok()) {
    return Status::Error(ErrorCode::kNotFound, path + ": cannot open configuration file");
  }
  return ParseTsbconf(*text, path);
}

namespace {

// The catalog store a resolved source uses: the configured one, else
// $TSFS_CATALOG_DIR, else /var/lib/tsfs/catalog; "none" keeps nothing.
UnitConfig WithCatalogDir(UnitConfig cfg) {
  if (cfg.catalog_dir.empty()) {
    const char* env = std::getenv("TSFS_CATALOG_DIR");
    cfg.catalog_dir = env != nullptr && *env != '\0' ? env : kDefaultCatalogDir;
  }
  if (cfg.catalog_dir == "none") cfg.catalog_dir.clear();
  return cfg;
}

}  // namespace

Result<UnitConfig> ResolveSource(const std::string& source, const std::string& config_path) {
  if (source.size() > 3 && source.rfind("rts", 0) == 0) {
    const auto n = ParseUnsigned(source.substr(3));
    if (!n || *n >= 2 * kMaxUnits) {
      return Status::Error(
          ErrorCode::kInvalidArgument,
          source + ": no such unit (rts0 to rts" + std::to_string(2 * kMaxUnits - 1) + ")");
    }
    const std::string path = config_path.empty() ? kDefaultConfigPath : config_path;
    TSFS_ASSIGN_OR_RETURN(std::vector<UnitConfig> units, LoadTsbconf(path));
    const int unit = static_cast<int>(*n % kMaxUnits);
    for (UnitConfig cfg : units) {
      if (cfg.unit != unit) continue;
      cfg.rewind_on_release = *n < static_cast<uint64_t>(kMaxUnits);
      return WithCatalogDir(cfg);
    }
    return Status::Error(ErrorCode::kNotFound, source + ": unit " + std::to_string(unit) +
                                                   " is not configured in " + path);
  }
  if (source.empty()) return Status::Error(ErrorCode::kInvalidArgument, "empty source");
  UnitConfig cfg;
  cfg.device = source;
  return WithCatalogDir(cfg);
}

Result<ChapSecretOrigin> ApplyChapSecret(UnitConfig& cfg, const ChapSecretSources& sources) {
  const std::string user = ChapUser(cfg.device);
  const bool inline_secret = HasInlineChapSecret(cfg.device);
  const std::string& file =
      !sources.option_file.empty() ? sources.option_file : cfg.chap_secret_file;
  if (!file.empty()) {
    if (user.empty()) {
      return Status::Error(ErrorCode::kInvalidArgument,
                           "a CHAP secret file (" + file + ") was given, but " + cfg.Name() +
                               " names no CHAP user (iscsi://user@host/target-iqn/lun)");
    }
    TSFS_ASSIGN_OR_RETURN(std::string secret, ReadChapSecretFile(file));
    TSFS_ASSIGN_OR_RETURN(cfg.device, WithChapSecret(cfg.device, secret));
    std::fill(secret.begin(), secret.end(), '\0');
    return ChapSecretOrigin::kFile;
  }
  if (user.empty()) return ChapSecretOrigin::kNone;
  if (inline_secret) return ChapSecretOrigin::kInline;
  if (!sources.env_secret.empty()) {
    TSFS_ASSIGN_OR_RETURN(cfg.device, WithChapSecret(cfg.device, sources.env_secret));
    return ChapSecretOrigin::kEnvironment;
  }
  return Status::Error(ErrorCode::kInvalidArgument,
                       "CHAP user '" + user + "' of " + cfg.Name() +
                           " has no secret: give it in a file only root can read "
                           "(-o chap_secret_file=PATH or the tsbconf key chap-secret-file) or in "
                           "the environment (" +
                           kChapSecretEnv + ")");
}

}  // namespace tsfs
