// StartTgtdLibrary: tgtd (package tgt) as a virtual tape library, set up as
// in tgt's README.vtl and TARGETS.md: LUNs 1..D are tape drives (offline
// until a cartridge is moved in), LUN D+1 the changer with
// media_home = the folder of cartridge images named by barcode; data
// transfer elements 1..D, the picker D+1, storage elements from D+2 on.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "tests/support/library_targets.h"
#include "tests/support/ports.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace tsfs::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kIqn = "iqn.2026-11.test:vtl";
constexpr const char* kSocketDir = "/var/run/tgtd";

std::string SocketPath(int control) {
  return std::string(kSocketDir) + "/socket." + std::to_string(control);
}

std::string Barcode(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "LIB%03d", i + 1);
  return buf;
}

class TgtdLibrary final : public TapeLibraryTarget {
 public:
  TgtdLibrary(std::string tgtadm, TempDir dir, Reservation port, Reservation control,
              LibraryOptions options)
      : tgtadm_(std::move(tgtadm)),
        dir_(std::move(dir)),
        port_(std::move(port)),
        control_(std::move(control)),
        options_(options) {}
  TgtdLibrary(const TgtdLibrary&) = delete;
  TgtdLibrary& operator=(const TgtdLibrary&) = delete;

  ~TgtdLibrary() override {
    if (daemon_.Running()) {
      (void)Admin(
          {"--lld", "iscsi", "--mode", "target", "--op", "delete", "--force", "--tid", "1"});
      (void)Admin({"--op", "delete", "--mode", "system"});
      if (!daemon_.WaitExit(std::chrono::seconds(2))) daemon_.Kill();
    }
    daemon_.Kill();
    ::unlink(SocketPath(control_.value()).c_str());
    ::unlink((SocketPath(control_.value()) + ".lock").c_str());
  }

  Status Start(const std::string& tgtd, const std::string& tgtimg) {
    const std::string media = dir_.File("media");
    ::mkdir(media.c_str(), 0755);
    auto image = [&](const std::string& path, const std::string& barcode, int size_mb) {
      return RunOk({tgtimg, "--op", "new", "--device-type", "tape", "--barcode", barcode, "--size",
                    std::to_string(size_mb), "--type", "data", "--file", path});
    };
    for (int i = 0; i < options_.cartridges; ++i) {
      TSFS_RETURN_IF_ERROR(image(media + "/" + Barcode(i), Barcode(i), options_.size_mb));
    }
    ::mkdir(kSocketDir, 0755);
    const std::string portal = "portal=127.0.0.1:" + std::to_string(port_.value());
    TSFS_ASSIGN_OR_RETURN(
        daemon_,
        Daemon::Start({tgtd, "-f", "-C", std::to_string(control_.value()), "--iscsi", portal},
                      dir_.File("tgtd.log")));
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    for (;;) {
      if (!daemon_.Running()) return Failed("tgtd exited at start");
      auto r = RunCommand(
          {tgtadm_, "-C", std::to_string(control_.value()), "--op", "show", "--mode", "system"});
      if (r.ok() && r->exit_code == 0) break;
      if (Clock::now() >= deadline) return Failed("tgtd control socket not ready after 10 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    TSFS_RETURN_IF_ERROR(Admin(
        {"--lld", "iscsi", "--mode", "target", "--op", "new", "--tid", "1", "--targetname", kIqn}));
    const int drives = options_.drives;
    for (int d = 1; d <= drives; ++d) {
      // A drive LUN needs an existing image to be created (an empty file is
      // refused), then goes offline until MOVE MEDIUM loads a cartridge.
      const std::string placeholder = dir_.File("drive" + std::to_string(d) + ".img");
      TSFS_RETURN_IF_ERROR(image(placeholder, "DRIVE" + std::to_string(d), 1));
      TSFS_RETURN_IF_ERROR(Lun("new", d, {"-b", placeholder, "--device-type=tape"}));
      TSFS_RETURN_IF_ERROR(Lun("update", d, {"--params", "online=0"}));
    }
    const int changer = drives + 1;
    const std::string smc = dir_.File("smc");
    TSFS_RETURN_IF_ERROR(RunOk({"/bin/dd", "if=/dev/zero", "of=" + smc, "bs=1k", "count=1"}));
    TSFS_RETURN_IF_ERROR(Lun("new", changer, {"-b", smc, "--device-type=changer"}));
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
    TSFS_RETURN_IF_ERROR(
        Admin({"--lld", "iscsi", "--mode", "target", "--op", "bind", "--tid", "1", "-I", "ALL"}));
    if (!CanConnect(static_cast<uint16_t>(port_.value()))) {
      return Failed("tgtd does not listen on 127.0.0.1:" + std::to_string(port_.value()));
    }
    return Status::Ok();
  }

  std::string name() const override { return "tgtd"; }
  std::string changer_uri() const override { return Uri(options_.drives + 1); }
  std::vector<std::string> drive_uris() const override {
    std::vector<std::string> out;
    for (int d = 1; d <= options_.drives; ++d) out.push_back(Uri(d));
    return out;
  }
  std::string barcode(int i) const override { return Barcode(i); }
  std::string LogTail() const override { return daemon_.LogTail(); }
  Status RemoveDrive(int index) override {
    // tgtd refuses while a command of the LUN is queued (TGTADM_LUN_ACTIVE);
    // then every LUN of the target gets UNIT ATTENTION 3F/0E.
    return Lun("delete", index + 1, {});
  }

 private:
  std::string Uri(int lun) const {
    return "iscsi://127.0.0.1:" + std::to_string(port_.value()) + "/" + kIqn + "/" +
           std::to_string(lun);
  }
  Status Admin(std::vector<std::string> args) {
    args.insert(args.begin(), {tgtadm_, "-C", std::to_string(control_.value())});
    return RunOk(args).WithContext("tgtadm");
  }
  Status Lun(const std::string& op, int lun, const std::vector<std::string>& rest) {
    std::vector<std::string> args{"--lld", "iscsi", "--mode", "logicalunit", "--op",
                                  op,      "--tid", "1",      "--lun",       std::to_string(lun)};
    args.insert(args.end(), rest.begin(), rest.end());
    return Admin(std::move(args));
  }
  Status Param(int lun, const std::string& params) {
    return Lun("update", lun, {"--params", params});
  }
  Status Failed(const std::string& what) {
    return Status::Error(ErrorCode::kIo, what + "; log: " + daemon_.LogTail());
  }

  std::string tgtadm_;
  TempDir dir_;
  Reservation port_;
  Reservation control_;
  LibraryOptions options_;
  Daemon daemon_;  // declared last: killed before the directory goes
};

}  // namespace

Result<std::unique_ptr<TapeLibraryTarget>> StartTgtdLibrary(const LibraryOptions& options) {
  TSFS_ASSIGN_OR_RETURN(std::string tgtd, FindProgram("tgtd", "tgt"));
  TSFS_ASSIGN_OR_RETURN(std::string tgtadm, FindProgram("tgtadm", "tgt"));
  TSFS_ASSIGN_OR_RETURN(std::string tgtimg, FindProgram("tgtimg", "tgt"));
  Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    TSFS_ASSIGN_OR_RETURN(TempDir dir, TempDir::Create("tsfs-vtl"));
    TSFS_ASSIGN_OR_RETURN(Reservation port, Reservation::TcpPort());
    TSFS_ASSIGN_OR_RETURN(Reservation control,
                          Reservation::Number("tgtd-control", 1000, 30000, [](int n) {
                            struct stat st {};
                            return ::stat(SocketPath(n).c_str(), &st) != 0;
                          }));
    auto target = std::make_unique<TgtdLibrary>(tgtadm, std::move(dir), std::move(port),
                                                std::move(control), options);
    last = target->Start(tgtd, tgtimg);
    if (last.ok()) return std::unique_ptr<TapeLibraryTarget>(std::move(target));
  }
  return last.WithContext("start tgtd library");
}

}  // namespace tsfs::testing
