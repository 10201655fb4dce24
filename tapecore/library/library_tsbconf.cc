#include "tapecore/library/library_tsbconf.h"

#include <cstdlib>

#include "tapecore/file_text.h"
#include "tapecore/unit/catalog_store.h"
#include "tapecore/unit/unit_config.h"

namespace tsfs::library {

namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

Status LineError(const std::string& path, int line, const std::string& what) {
  return Status::Error(ErrorCode::kConfig, path + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

std::optional<int> LibraryNumber(const std::string& source) {
  if (source.size() != 4 || source.rfind("lib", 0) != 0) return std::nullopt;
  const char d = source[3];
  if (d < '0' || d >= '0' + kMaxLibraries) return std::nullopt;
  return d - '0';
}

Result<LibraryConfig> ParseLibrarySection(std::string_view text, const std::string& path, int n) {
  const std::string wanted = "library." + std::to_string(n);
  // The unit keys of the section go through the [unit.N] parser, in a copy
  // of the text with every other line blank, so its errors keep their line
  // numbers.
  std::string unit_text;
  LibraryConfig config;
  bool inside = false, found = false;
  int changer_line = 0, section_line = 0;
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
    std::string copied;
    if (!line.empty() && line.front() == '[' && line.back() == ']') {
      inside = Trim(std::string_view(line).substr(1, line.size() - 2)) == wanted;
      if (inside) {
        if (found) return LineError(path, number, "[" + wanted + "]: given twice");
        found = true;
        section_line = number;
        copied = "[unit.0]";
      }
    } else if (inside && !line.empty()) {
      const size_t eq = line.find('=');
      if (eq == std::string::npos) {
        return LineError(path, number, "invalid line (expected key = value)");
      }
      const std::string key = Trim(std::string_view(line).substr(0, eq));
      const std::string value = Trim(std::string_view(line).substr(eq + 1));
      if (key == "changer") {
        if (changer_line != 0)
          return LineError(path, number, "[" + wanted + "] changer: given twice");
        if (value.empty()) return LineError(path, number, "[" + wanted + "] changer: empty");
        config.changer = value;
        changer_line = number;
        copied = "device = " + value;
      } else if (key == "drive") {
        if (value.empty()) return LineError(path, number, "[" + wanted + "] drive: empty");
        config.drives.push_back(value);
      } else if (key == "device") {
        return LineError(path, number,
                         "[" + wanted + "] device: a library has changer = and drive =");
      } else {
        copied = line;
      }
    }
    unit_text += copied + "\n";
    if (nl == text.size()) break;
  }
  if (!found) {
    return Status::Error(ErrorCode::kNotFound, path + ": no [" + wanted + "] section");
  }
  if (changer_line == 0) return LineError(path, section_line, "[" + wanted + "] changer: missing");
  auto units = ParseTsbconf(unit_text, path);
  if (!units.ok()) {
    std::string message = units.status().message();
    for (size_t at; (at = message.find("[unit.0]")) != std::string::npos;) {
      message.replace(at, 8, "[" + wanted + "]");
    }
    return Status::Error(ErrorCode::kConfig, message);
  }
  config.unit = units->front();
  config.unit.unit = -1;
  if (config.unit.catalog_dir.empty()) {
    const char* env = std::getenv("TSFS_CATALOG_DIR");
    config.unit.catalog_dir = env != nullptr && *env != '\0' ? env : kDefaultCatalogDir;
  }
  if (config.unit.catalog_dir == "none") config.unit.catalog_dir.clear();
  return config;
}

Result<LibraryConfig> ResolveLibrary(const std::string& source, const std::string& config_path) {
  const auto n = LibraryNumber(source);
  if (!n) {
    return Status::Error(ErrorCode::kInvalidArgument, source + ": no such library (lib0 to lib" +
                                                          std::to_string(kMaxLibraries - 1) + ")");
  }
  const std::string path = config_path.empty() ? kDefaultConfigPath : config_path;
  Result<std::string> text = ReadFileText(path);
  if (!text.ok()) {
    return Status::Error(ErrorCode::kNotFound, path + ": cannot open configuration file");
  }
  return ParseLibrarySection(*text, path, *n);
}

}  // namespace tsfs::library
