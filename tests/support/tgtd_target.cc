// StartTgtd: a private tgtd (package tgt) serving one virtual tape, set up as
// in TARGETS.md: target iqn.2026-11.test:tape0, LUN 1, backing store ssc.
#include <memory>
#include <string>
#include <utility>

#include "tests/support/targets.h"
#include "tests/support/tgtd_daemon.h"

namespace tsfs::testing {
namespace {

constexpr const char* kIqn = "iqn.2026-11.test:tape0";

class TgtdTarget final : public TapeTarget {
 public:
  TgtdTarget(std::unique_ptr<TgtdDaemon> tgtd, const TargetOptions& options)
      : tgtd_(std::move(tgtd)), options_(options) {}

  Status Start() {
    image_ = tgtd_->dir().File("tape.img");
    TSFS_RETURN_IF_ERROR(tgtd_->NewTape(image_, "TS0001", options_.size_mb));
    return Launch();
  }

  Status Restart() override {
    tgtd_->Kill();
    return Launch().WithContext("restart tgtd");
  }
  pid_t pid() const override { return tgtd_->daemon().pid(); }

  std::string uri() const override { return tgtd_->Uri(1); }
  std::string name() const override { return "tgtd"; }

  Status SetReadOnly(bool read_only) override {
    return tgtd_->Lun("update", 1, {"--params", read_only ? "readonly=1" : "readonly=0"});
  }

  Status ChangeTape() override {
    const std::string image = tgtd_->dir().File("tape" + std::to_string(++tapes_) + ".img");
    TSFS_RETURN_IF_ERROR(
        tgtd_->NewTape(image, "TS000" + std::to_string(tapes_ + 1), options_.size_mb));
    TSFS_RETURN_IF_ERROR(tgtd_->Lun("update", 1, {"--params", "online=0"}));
    image_ = image;
    return tgtd_->Lun("update", 1, {"--params", "path=" + image});
  }

  void Kill() override { tgtd_->daemon().Kill(); }
  void Freeze(bool frozen) override { tgtd_->daemon().Freeze(frozen); }
  std::string LogTail() const override { return tgtd_->daemon().LogTail(); }

 private:
  // Starts tgtd and configures the target over image_ (the same steps at
  // start and restart).
  Status Launch() {
    TSFS_RETURN_IF_ERROR(tgtd_->Launch());
    TSFS_RETURN_IF_ERROR(
        tgtd_->Lun("new", 1, {"--bstype", "ssc", "--device-type", "tape", "-b", image_}));
    if (options_.read_only) TSFS_RETURN_IF_ERROR(SetReadOnly(true));
    if (!options_.chap_user.empty()) {
      TSFS_RETURN_IF_ERROR(
          tgtd_->Admin({"--lld", "iscsi", "--mode", "account", "--op", "new", "--user",
                        options_.chap_user, "--password", options_.chap_secret}));
      TSFS_RETURN_IF_ERROR(tgtd_->Admin({"--lld", "iscsi", "--mode", "account", "--op", "bind",
                                         "--tid", "1", "--user", options_.chap_user}));
    }
    if (options_.nop_interval_s > 0) {
      for (const auto& [name, value] : {std::pair<std::string, int>{"nop_count", 10},
                                        {"nop_interval", options_.nop_interval_s}}) {
        TSFS_RETURN_IF_ERROR(
            tgtd_->Admin({"--lld", "iscsi", "--mode", "target", "--op", "update", "--tid", "1",
                          "--name", name, "--value", std::to_string(value)}));
      }
    }
    return tgtd_->Bind();
  }

  std::unique_ptr<TgtdDaemon> tgtd_;
  TargetOptions options_;
  std::string image_;  // the loaded tape (a restart serves it again)
  int tapes_ = 0;      // tapes changed so far
};

}  // namespace

Result<std::unique_ptr<TapeTarget>> StartTgtd(const TargetOptions& options) {
  auto target = StartOnTgtd<TgtdTarget>("tsfs-tgtd", kIqn, options);
  if (!target.ok()) return target.status().WithContext("start tgtd");
  return std::unique_ptr<TapeTarget>(std::move(target).value());
}

}  // namespace tsfs::testing
