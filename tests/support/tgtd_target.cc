// StartTgtd: a private tgtd (package tgt) serving one virtual tape, set up as
// in TARGETS.md: target iqn.2026-11.test:tape0, LUN 1, backing store ssc.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/support/ports.h"
#include "tests/support/process.h"
#include "tests/support/targets.h"
#include "tests/support/temp_dir.h"

namespace tsfs::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kIqn = "iqn.2026-11.test:tape0";
constexpr const char* kSocketDir = "/var/run/tgtd";

std::string SocketPath(int control) {
  return std::string(kSocketDir) + "/socket." + std::to_string(control);
}

class TgtdTarget final : public TapeTarget {
 public:
  TgtdTarget(std::string tgtadm, TempDir dir, Reservation port, Reservation control)
      : tgtadm_(std::move(tgtadm)),
        dir_(std::move(dir)),
        port_(std::move(port)),
        control_(std::move(control)) {}
  TgtdTarget(const TgtdTarget&) = delete;
  TgtdTarget& operator=(const TgtdTarget&) = delete;

  ~TgtdTarget() override {
    daemon_.Freeze(false);
    if (daemon_.Running()) {
      // tgtd ignores SIGTERM: stop it through its control socket, then make sure.
      (void)Admin(
          {"--lld", "iscsi", "--mode", "target", "--op", "delete", "--force", "--tid", "1"});
      (void)Admin({"--op", "delete", "--mode", "system"});
      if (!daemon_.WaitExit(std::chrono::seconds(2))) daemon_.Kill();
    }
    daemon_.Kill();
    ::unlink(SocketPath(control_.value()).c_str());
    ::unlink((SocketPath(control_.value()) + ".lock").c_str());
  }

  Status Start(const std::string& tgtd, const std::string& tgtimg, const TargetOptions& options) {
    tgtd_ = tgtd;
    tgtimg_ = tgtimg;
    options_ = options;
    image_ = dir_.File("tape.img");
    TSFS_RETURN_IF_ERROR(
        RunOk({tgtimg, "--op", "new", "--device-type", "tape", "--barcode", "TS0001", "--size",
               std::to_string(options.size_mb), "--type", "data", "--file", image_}));
    ::mkdir(kSocketDir, 0755);
    return Launch();
  }

  Status Restart() override {
    daemon_.Kill();
    ::unlink(SocketPath(control_.value()).c_str());
    ::unlink((SocketPath(control_.value()) + ".lock").c_str());
    return Launch().WithContext("restart tgtd");
  }
  pid_t pid() const override { return daemon_.pid(); }

  std::string uri() const override {
    return "iscsi://127.0.0.1:" + std::to_string(port_.value()) + "/" + kIqn + "/1";
  }
  std::string name() const override { return "tgtd"; }

  Status SetReadOnly(bool read_only) override {
    return Admin({"--lld", "iscsi", "--mode", "logicalunit", "--op", "update", "--tid", "1",
                  "--lun", "1", "--params", read_only ? "readonly=1" : "readonly=0"});
  }

  Status ChangeTape() override {
    const std::string image = dir_.File("tape" + std::to_string(++tapes_) + ".img");
    TSFS_RETURN_IF_ERROR(
        RunOk({tgtimg_, "--op", "new", "--device-type", "tape", "--barcode",
               "TS000" + std::to_string(tapes_ + 1), "--size", std::to_string(options_.size_mb),
               "--type", "data", "--file", image}));
    TSFS_RETURN_IF_ERROR(Admin({"--lld", "iscsi", "--mode", "logicalunit", "--op", "update",
                                "--tid", "1", "--lun", "1", "--params", "online=0"}));
    image_ = image;
    return Admin({"--lld", "iscsi", "--mode", "logicalunit", "--op", "update", "--tid", "1",
                  "--lun", "1", "--params", "path=" + image});
  }

  void Kill() override { daemon_.Kill(); }
  void Freeze(bool frozen) override { daemon_.Freeze(frozen); }
  std::string LogTail() const override { return daemon_.LogTail(); }

 private:
  // Starts tgtd on the reserved ports and configures the target over
  // image_ (the same steps at start and restart).
  Status Launch() {
    const std::string portal = "portal=127.0.0.1:" + std::to_string(port_.value());
    TSFS_ASSIGN_OR_RETURN(
        daemon_,
        Daemon::Start({tgtd_, "-f", "-C", std::to_string(control_.value()), "--iscsi", portal},
                      dir_.File("tgtd.log")));
    // Ready when the control socket answers.
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
    TSFS_RETURN_IF_ERROR(
        Admin({"--lld", "iscsi", "--mode", "logicalunit", "--op", "new", "--tid", "1", "--lun", "1",
               "--bstype", "ssc", "--device-type", "tape", "-b", image_}));
    if (options_.read_only) TSFS_RETURN_IF_ERROR(SetReadOnly(true));
    if (!options_.chap_user.empty()) {
      TSFS_RETURN_IF_ERROR(Admin({"--lld", "iscsi", "--mode", "account", "--op", "new", "--user",
                                  options_.chap_user, "--password", options_.chap_secret}));
      TSFS_RETURN_IF_ERROR(Admin({"--lld", "iscsi", "--mode", "account", "--op", "bind", "--tid",
                                  "1", "--user", options_.chap_user}));
    }
    TSFS_RETURN_IF_ERROR(
        Admin({"--lld", "iscsi", "--mode", "target", "--op", "bind", "--tid", "1", "-I", "ALL"}));
    // After a kill the old connections' TIME_WAIT can hold the port a moment.
    for (int i = 0; i < 100 && !CanConnect(static_cast<uint16_t>(port_.value())); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!CanConnect(static_cast<uint16_t>(port_.value()))) {
      return Failed("tgtd does not listen on 127.0.0.1:" + std::to_string(port_.value()));
    }
    return Status::Ok();
  }
  Status Admin(std::vector<std::string> args) {
    args.insert(args.begin(), {tgtadm_, "-C", std::to_string(control_.value())});
    return RunOk(args).WithContext("tgtadm");
  }
  Status Failed(const std::string& what) {
    return Status::Error(ErrorCode::kIo, what + "; log: " + daemon_.LogTail());
  }

  std::string tgtadm_;
  TempDir dir_;
  Reservation port_;
  Reservation control_;
  std::string tgtd_;
  std::string tgtimg_;
  TargetOptions options_;
  std::string image_;  // the loaded tape (a restart serves it again)
  int tapes_ = 0;      // tapes changed so far
  Daemon daemon_;      // declared last: killed before the directory goes
};

}  // namespace

Result<std::unique_ptr<TapeTarget>> StartTgtd(const TargetOptions& options) {
  TSFS_ASSIGN_OR_RETURN(std::string tgtd, FindProgram("tgtd", "tgt"));
  TSFS_ASSIGN_OR_RETURN(std::string tgtadm, FindProgram("tgtadm", "tgt"));
  TSFS_ASSIGN_OR_RETURN(std::string tgtimg, FindProgram("tgtimg", "tgt"));
  Status last;
  // A port can be taken between the bind test and tgtd's bind: try again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    TSFS_ASSIGN_OR_RETURN(TempDir dir, TempDir::Create("tsfs-tgtd"));
    TSFS_ASSIGN_OR_RETURN(Reservation port, Reservation::TcpPort());
    TSFS_ASSIGN_OR_RETURN(Reservation control,
                          Reservation::Number("tgtd-control", 1000, 30000, [](int n) {
                            struct stat st {};
                            return ::stat(SocketPath(n).c_str(), &st) != 0;
                          }));
    auto target =
        std::make_unique<TgtdTarget>(tgtadm, std::move(dir), std::move(port), std::move(control));
    last = target->Start(tgtd, tgtimg, options);
    if (last.ok()) return std::unique_ptr<TapeTarget>(std::move(target));
  }
  return last.WithContext("start tgtd");
}

}  // namespace tsfs::testing
