// A fresh private directory under $TMPDIR (or /tmp), removed with everything
// in it when destroyed. Movable, not copyable.
#pragma once

#include <string>

#include "tapecore/status.h"

namespace tsfs::testing {

class TempDir final {
 public:
  static Result<TempDir> Create(const std::string& prefix);
  TempDir() = default;
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace tsfs::testing
