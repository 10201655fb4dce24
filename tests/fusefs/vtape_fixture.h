// A fresh blank vtape image and a mount point in a temporary directory, for
// the vtape-only mount tests. Header-only (see mount_harness.h).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/fusefs/mount_harness.h"

namespace tsfs::fusefs_test {

class VtapeMountTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Sh(": > " + Image()).ok()); }

  std::string Image() const { return dir_ / "t.tap"; }
  std::string Source(const std::string& vtape_options = "") const {
    return "vtape:" + Image() + (vtape_options.empty() ? "" : "?" + vtape_options);
  }
  // Mounts the image (with vtape options and mount options) at dir/mnt.
  TsfsMount& MountTape(const std::string& vtape_options = "",
                       const std::string& mount_options = "") {
    mount_.reset();
    mount_ = std::make_unique<TsfsMount>(Source(vtape_options), dir_ / "mnt", mount_options);
    ShellResult r = mount_->Mount();
    EXPECT_TRUE(r.ok()) << r;
    EXPECT_TRUE(mount_->mounted());
    return *mount_;
  }
  void Remount(const std::string& vtape_options = "", const std::string& mount_options = "") {
    ShellResult u = mount_->Unmount();
    EXPECT_TRUE(u.ok()) << u;
    MountTape(vtape_options, mount_options);
  }
  std::string Mnt(const std::string& name = "") const {
    return name.empty() ? dir_ / "mnt" : dir_ / ("mnt/" + name);
  }
  std::string Tmp(const std::string& name) const { return dir_ / name; }
  // Runs a Python program with the mount point as argv[1] (`m`), `arg` as
  // argv[2], and err(f, *args), which calls f and gives 'ok' or the
  // errno's name; its output. For the system calls no shell command makes.
  ShellResult Py(const std::string& body, const std::string& arg = "") const {
    const std::string py =
        "import errno, os, sys\n"
        "m = sys.argv[1]\n"
        "def err(f, *a):\n"
        "    try:\n"
        "        f(*a)\n"
        "        return 'ok'\n"
        "    except OSError as e:\n"
        "        return errno.errorcode[e.errno]\n" +
        body;
    return Sh("python3 -c " + Quote(py) + " " + Quote(Mnt()) + " " + Quote(arg));
  }

  TempDir dir_;                       // destroyed last
  std::unique_ptr<TsfsMount> mount_;  // unmounts first
};

}  // namespace tsfs::fusefs_test
