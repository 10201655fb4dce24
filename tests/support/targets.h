// Real SCSI tape targets for the tests: a private tgtd or istgt per fixture,
// on a free loopback port with a private control port and a fresh image,
// torn down in the destructor (also when a test fails).
//
// With CI=true in the environment a missing tgtd/istgt is a test failure;
// elsewhere the test is skipped with a message.
#pragma once

#include <gtest/gtest.h>

#include <sys/types.h>

#include <memory>
#include <string>

#include "tapecore/status.h"

namespace tsfs::testing {

struct TargetOptions {
  int size_mb = 200;       // image size
  bool read_only = false;  // write-protected medium from the start
  // When set, the target requires CHAP with this account (tgtd only; istgt
  // answers kUnsupported). Put them in the URI as iscsi://user%secret@...
  std::string chap_user;
  std::string chap_secret;
  // tgtd only: NOP-In probes to every connected initiator each this many
  // seconds (0: none); a connection that leaves 10 of them unanswered is
  // closed by tgtd.
  int nop_interval_s = 0;
};

class TapeTarget {
 public:
  virtual ~TapeTarget() = default;
  virtual std::string uri() const = 0;   // iscsi://127.0.0.1:PORT/IQN/LUN
  virtual std::string name() const = 0;  // "tgtd" or "istgt"
  virtual Status SetReadOnly(bool read_only) = 0;
  virtual void Kill() = 0;  // SIGKILL the daemon (target dies)
  // Replaces the medium by a fresh blank tape (loaded at BOT, write enabled).
  // tgtd only; istgt answers kUnsupported.
  virtual Status ChangeTape() { return Status::Error(ErrorCode::kUnsupported, "no tape change"); }
  // SIGSTOP (true) or SIGCONT (false) the daemon: a target that stops
  // answering without closing its connections (a hung host).
  virtual void Freeze(bool /*frozen*/) {}
  // SIGKILL the daemon and start a new one on the same port with the same
  // image and configuration (a target host that crashed and came back).
  // tgtd only; istgt answers kUnsupported.
  virtual Status Restart() { return Status::Error(ErrorCode::kUnsupported, "no restart"); }
  // Pid of the running daemon (-1 when none), for tests that signal it.
  virtual pid_t pid() const { return -1; }
  // The end of the daemon's log, for failure messages.
  virtual std::string LogTail() const { return {}; }
};

// Starts a target. kNotFound when the daemon is not installed.
Result<std::unique_ptr<TapeTarget>> StartTgtd(const TargetOptions& options = {});
Result<std::unique_ptr<TapeTarget>> StartIstgt(const TargetOptions& options = {});

// True when CI=true: missing components must fail, not skip.
bool InCi();

using TargetStarter = Result<std::unique_ptr<TapeTarget>> (*)(const TargetOptions&);

// One real target for a value-parameterised suite.
struct TargetKind {
  const char* name;
  TargetStarter start;
};

// The real targets every "Targets/" suite runs on, and their test-name suffix:
//   INSTANTIATE_TEST_SUITE_P(Targets, MyTest, RealTargets(), TargetKindName);
inline auto RealTargets() {
  return ::testing::Values(TargetKind{"tgtd", StartTgtd}, TargetKind{"istgt", StartIstgt});
}
inline std::string TargetKindName(const ::testing::TestParamInfo<TargetKind>& info) {
  return info.param.name;
}

}  // namespace tsfs::testing

// In a gtest body: start the target into `var`, skipping (or failing in CI)
// when the daemon is not installed.
#define TSFS_START_TARGET_OR_SKIP(var, starter, ...)                    \
  auto var##_result = starter(__VA_ARGS__);                             \
  if (!var##_result.ok()) {                                             \
    if (var##_result.status().code() == ::tsfs::ErrorCode::kNotFound && \
        !::tsfs::testing::InCi()) {                                     \
      GTEST_SKIP() << var##_result.status().ToString();                 \
    }                                                                   \
    FAIL() << var##_result.status().ToString();                         \
  }                                                                     \
  std::unique_ptr<::tsfs::testing::TapeTarget> var = std::move(var##_result).value()
