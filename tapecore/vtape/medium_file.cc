#include "tapecore/vtape/medium_file.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace tsfs::vtape {
namespace {

std::string Trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  const size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

std::string SizeText(uint64_t bytes) {
  static constexpr const char* kSuffix[] = {"", "K", "M", "G", "T"};
  int i = 0;
  while (i < 4 && bytes != 0 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++i;
  }
  return std::to_string(bytes) + kSuffix[i];
}

}  // namespace

std::string MediumPathFor(const std::string& image_path) { return image_path + ".medium"; }

Result<MediumProperties> ReadMediumFile(const std::string& image_path) {
  const std::string path = MediumPathFor(image_path);
  MediumProperties m;
  std::ifstream in(path);
  if (!in) return m;  // no file: the defaults
  std::string line;
  int number = 0;
  auto bad = [&](const std::string& why) {
    return Status::Error(ErrorCode::kInvalidArgument,
                         path + ":" + std::to_string(number) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++number;
    line = Trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) return bad("expected key=value");
    const std::string key = Trim(line.substr(0, eq));
    const std::string value = Trim(line.substr(eq + 1));
    if (key == "capacity" || key == "ew") {
      auto size = ParseSize(value, key);
      if (!size.ok()) return bad(size.status().message());
      if (key == "capacity") {
        if (*size == 0) return bad("capacity must be more than 0");
        m.capacity = *size;
      } else {
        m.early_warning = *size;
      }
    } else if (key == "write-protect") {
      if (value != "yes" && value != "no") return bad("write-protect is yes or no");
      m.write_protected = value == "yes";
    } else {
      return bad("unknown key '" + key + "' (known: capacity ew write-protect)");
    }
  }
  return m;
}

Status WriteMediumFile(const std::string& image_path, const MediumProperties& medium) {
  const std::string path = MediumPathFor(image_path);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  std::ostringstream text;
  const std::string base = image_path.substr(image_path.find_last_of('/') + 1);
  text << "# vtape medium of " << base << " (tstape mkvtape); options in a source override it\n"
       << "capacity=" << SizeText(medium.capacity.value_or(kDefaultCapacity)) << "\n"
       << "ew=" << SizeText(medium.early_warning.value_or(kDefaultEarlyWarning)) << "\n"
       << "write-protect=" << (medium.write_protected ? "yes" : "no") << "\n";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text.str();
    out.close();
    if (!out) {
      ::unlink(tmp.c_str());
      return Status::Error(ErrorCode::kIo, "cannot write " + tmp);
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::Error(ErrorCode::kIo, "cannot rename " + tmp + " to " + path);
  }
  return Status::Ok();
}

Status ApplyMedium(const MediumProperties& medium, VtapeOptions& options) {
  if (!options.capacity_given && medium.capacity) options.capacity = *medium.capacity;
  if (!options.early_warning_given) {
    options.early_warning = medium.early_warning.value_or(kDefaultEarlyWarning);
    if (!medium.early_warning && options.early_warning > options.capacity / 2) {
      options.early_warning = options.capacity / 2;
    }
  }
  if (options.early_warning > options.capacity) {
    return Status::Error(ErrorCode::kInvalidArgument,
                         "vtape " + options.path +
                             ": the early warning (ew) is larger than the "
                             "capacity");
  }
  if (medium.write_protected) options.read_only = true;
  return Status::Ok();
}

}  // namespace tsfs::vtape
