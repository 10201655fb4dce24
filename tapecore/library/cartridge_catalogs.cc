#include "tapecore/library/cartridge_catalogs.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "tapecore/file_text.h"

namespace tsfs::library {

namespace {

constexpr const char* kHeader = "tsfs-cartridge 1";

// A volume tag is printable ASCII without blanks (SMC-3 volume identifier);
// anything that could leave the directory is refused.
bool UsableAsFileName(const std::string& tag) {
  if (tag.empty() || tag.size() > 64 || tag[0] == '.') return false;
  for (char c : tag) {
    if (c <= ' ' || c > '~' || c == '/') return false;
  }
  return true;
}

}  // namespace

std::string FormatCartridgeCatalog(const std::vector<TapeFileInfo>& files) {
  std::ostringstream out;
  out << kHeader << "\n";
  for (const TapeFileInfo& f : files) {
    out << "file " << f.index << " " << f.blocks << " " << (f.size_known ? 1 : 0) << " "
        << (f.complete ? 1 : 0) << " " << f.bytes << " " << (f.size_exact ? 1 : 0) << " "
        << f.first_record << "\n";
  }
  return out.str();
}

Result<std::vector<TapeFileInfo>> ParseCartridgeCatalog(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != kHeader) {
    return Status::Error(ErrorCode::kCorrupt, "not a cartridge catalog (line 1)");
  }
  std::vector<TapeFileInfo> files;
  for (int number = 2; std::getline(in, line); ++number) {
    std::istringstream f(line);
    std::string word;
    TapeFileInfo info;
    int known = 0, complete = 0, exact = 0;
    std::string rest;
    if (!(f >> word >> info.index >> info.blocks >> known >> complete >> info.bytes >> exact >>
          info.first_record) ||
        word != "file" || (f >> rest) || info.index != static_cast<int>(files.size())) {
      return Status::Error(ErrorCode::kCorrupt,
                           "bad cartridge catalog line " + std::to_string(number));
    }
    info.size_known = known != 0;
    info.complete = complete != 0;
    info.size_exact = exact != 0;
    files.push_back(info);
  }
  return files;
}

std::string CartridgeCatalogs::PathFor(const std::string& tag) const {
  if (dir_.empty() || !UsableAsFileName(tag)) return {};
  return dir_ + "/cartridge-" + tag;
}

std::shared_ptr<const std::vector<TapeFileInfo>> CartridgeCatalogs::Get(const std::string& name,
                                                                        bool tagged) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = known_.find(name); it != known_.end()) return it->second;
  const std::string path = tagged ? PathFor(name) : std::string();
  if (path.empty()) return nullptr;
  Result<std::string> text = ReadFileText(path);
  if (!text.ok()) return nullptr;
  auto parsed = ParseCartridgeCatalog(*text);
  if (!parsed.ok()) return nullptr;  // the cartridge is loaded to be listed
  auto files = std::make_shared<const std::vector<TapeFileInfo>>(std::move(parsed).value());
  known_[name] = files;
  return files;
}

Status CartridgeCatalogs::Put(const std::string& name, bool tagged,
                              const std::vector<TapeFileInfo>& files) {
  std::lock_guard<std::mutex> lock(mu_);
  known_[name] = std::make_shared<const std::vector<TapeFileInfo>>(files);
  const std::string path = tagged ? PathFor(name) : std::string();
  if (path.empty()) return Status::Ok();
  if (mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Error(ErrorCode::kIo, dir_ + ": cannot create the catalog directory");
  }
  const std::string tmp = path + ".new";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << FormatCartridgeCatalog(files);
    if (!out.flush()) return Status::Error(ErrorCode::kIo, tmp + ": cannot write");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::Error(ErrorCode::kIo, path + ": cannot replace");
  }
  return Status::Ok();
}

}  // namespace tsfs::library
