// StartTgtdLibrary: tgtd (package tgt) as a virtual tape library, set up as
// in tgt's README.vtl and TARGETS.md: LUNs 1..D are tape drives (offline
// until a cartridge is moved in), LUN D+1 the changer with
// media_home = the folder of cartridge images named by barcode; data
// transfer elements 1..D, the picker D+1, storage elements from D+2 on.
#include <sys/stat.h>

#include <cstdio>
#include <memory>

#include "tests/support/library_targets.h"
#include "tests/support/tgtd_daemon.h"

namespace tsfs::testing {
namespace {

constexpr const char* kIqn = "iqn.2026-11.test:vtl";

std::string Barcode(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "LIB%03d", i + 1);
  return buf;
}

class TgtdLibrary final : public TapeLibraryTarget {
 public:
  TgtdLibrary(std::unique_ptr<TgtdDaemon> tgtd, LibraryOptions options)
      : tgtd_(std::move(tgtd)), options_(options) {}

  Status Start() {
    const std::string media = tgtd_->dir().File("media");
    ::mkdir(media.c_str(), 0755);
    for (int i = 0; i < options_.cartridges; ++i) {
      TSFS_RETURN_IF_ERROR(tgtd_->NewTape(media + "/" + Barcode(i), Barcode(i), options_.size_mb));
    }
    TSFS_RETURN_IF_ERROR(tgtd_->Launch());
    const int drives = options_.drives;
    for (int d = 1; d <= drives; ++d) {
      // A drive LUN needs an existing image to be created (an empty file is
      // refused), then goes offline until MOVE MEDIUM loads a cartridge.
      const std::string placeholder = tgtd_->dir().File("drive" + std::to_string(d) + ".img");
      TSFS_RETURN_IF_ERROR(tgtd_->NewTape(placeholder, "DRIVE" + std::to_string(d), 1));
      TSFS_RETURN_IF_ERROR(tgtd_->Lun("new", d, {"-b", placeholder, "--device-type=tape"}));
      TSFS_RETURN_IF_ERROR(Param(d, "online=0"));
    }
    const int changer = drives + 1;
    const std::string smc = tgtd_->dir().File("smc");
    TSFS_RETURN_IF_ERROR(RunOk({"/bin/dd", "if=/dev/zero", "of=" + smc, "bs=1k", "count=1"}));
    TSFS_RETURN_IF_ERROR(tgtd_->Lun("new", changer, {"-b", smc, "--device-type=changer"}));
    TSFS_RETURN_IF_ERROR(Param(changer, "media_home=" + media));
    TSFS_RETURN_IF_ERROR(
        Param(changer, "element_type=4,start_address=1,quantity=" + std::to_string(drives)));
    for (int d = 1; d <= drives; ++d) {
      TSFS_RETURN_IF_ERROR(Param(changer, "element_type=4,address=" + std::to_string(d) +
                                              ",tid=1,lun=" + std::to_string(d)));
    }
    TSFS_RETURN_IF_ERROR(
        Param(changer, "element_type=1,start_address=" + std::to_string(changer) + ",quantity=1"));
    const int first_slot = changer + 1;
    TSFS_RETURN_IF_ERROR(
        Param(changer, "element_type=2,start_address=" + std::to_string(first_slot) +
                           ",quantity=" + std::to_string(options_.slots)));
    for (int i = 0; i < options_.cartridges; ++i) {
      TSFS_RETURN_IF_ERROR(
          Param(changer, "element_type=2,address=" + std::to_string(first_slot + i) +
                             ",barcode=" + Barcode(i) + ",sides=1"));
    }
    return tgtd_->Bind();
  }

  std::string name() const override { return "tgtd"; }
  std::string changer_uri() const override { return tgtd_->Uri(options_.drives + 1); }
  std::vector<std::string> drive_uris() const override {
    std::vector<std::string> out;
    for (int d = 1; d <= options_.drives; ++d) out.push_back(tgtd_->Uri(d));
    return out;
  }
  std::string barcode(int i) const override { return Barcode(i); }
  std::string LogTail() const override { return tgtd_->daemon().LogTail(); }
  Status RemoveDrive(int index) override {
    // tgtd refuses while a command of the LUN is queued (TGTADM_LUN_ACTIVE);
    // then every LUN of the target gets UNIT ATTENTION 3F/0E.
    return tgtd_->Lun("delete", index + 1, {});
  }

 private:
  Status Param(int lun, const std::string& params) {
    return tgtd_->Lun("update", lun, {"--params", params});
  }

  std::unique_ptr<TgtdDaemon> tgtd_;
  LibraryOptions options_;
};

}  // namespace

Result<std::unique_ptr<TapeLibraryTarget>> StartTgtdLibrary(const LibraryOptions& options) {
  auto library = StartOnTgtd<TgtdLibrary>("tsfs-vtl", kIqn, options);
  if (!library.ok()) return library.status().WithContext("start tgtd library");
  return std::unique_ptr<TapeLibraryTarget>(std::move(library).value());
}

}  // namespace tsfs::testing
