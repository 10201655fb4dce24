#include "fusefs/file_system.h"

#include <cstring>

namespace tsfs::fusefs {

Result<FileSystem::Target> FileSystem::Resolve(const char* path) {
  if (path == nullptr) return Status::Error(ErrorCode::kNotFound, "no path");
  if (single_ != nullptr) return Target{single_, path};
  if (std::strcmp(path, "/") == 0) return Target{nullptr, "/"};
  // "/NAME" or "/NAME/REST" with REST one component.
  const std::string p(path + 1);
  const size_t slash = p.find('/');
  const std::string name = p.substr(0, slash);
  const std::string rest = slash == std::string::npos ? "/" : p.substr(slash);
  if (rest.size() > 1 && rest.find('/', 1) != std::string::npos) {
    return Status::Error(ErrorCode::kNotFound, std::string(path) + ": no such file");
  }
  Mount* mount = library_->Find(name);
  if (mount == nullptr) {
    return Status::Error(ErrorCode::kNotFound, "no cartridge " + name + " in the library");
  }
  return Target{mount, rest};
}

const MountStamp& FileSystem::stamp() const {
  return single_ != nullptr ? single_->stamp() : library_->stamp();
}

void FileSystem::Shutdown() {
  if (single_ != nullptr) single_->Shutdown();
  if (library_ != nullptr) library_->Shutdown();
}

}  // namespace tsfs::fusefs
