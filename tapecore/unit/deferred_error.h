// DeferredError: the first failure of a background write, kept until it is
// reported once (ts: "on the next write system call after the error
// occurred, or on the close system call following the error").
//
// Never lost: the first failure is kept even when later ones happen. Never
// twice: Take() hands it out once; afterwards failed() stays true so further
// writes are refused with a follow-on error of their own.
//
// Thread-safety: thread-safe (set by the writer thread, taken by the caller).
#pragma once

#include <mutex>

#include "tapecore/status.h"

namespace tsfs {

class DeferredError final {
 public:
  DeferredError() = default;
  DeferredError(const DeferredError&) = delete;
  DeferredError& operator=(const DeferredError&) = delete;

  // Keeps `s` unless a failure is already recorded.
  void Set(const Status& s) {
    if (s.ok()) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (!failed_) {
      error_ = s;
      failed_ = true;
    }
  }
  bool failed() const {
    std::lock_guard<std::mutex> lock(mu_);
    return failed_;
  }
  bool pending() const {
    std::lock_guard<std::mutex> lock(mu_);
    return failed_ && !reported_;
  }
  // The recorded failure the first time, OK afterwards (or when none).
  Status Take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!failed_ || reported_) return Status::Ok();
    reported_ = true;
    return error_;
  }
  // The code of the recorded failure (kOk when none): follow-on errors keep
  // its class (kNoSpace stays kNoSpace).
  ErrorCode code() const {
    std::lock_guard<std::mutex> lock(mu_);
    return failed_ ? error_.code() : ErrorCode::kOk;
  }

 private:
  mutable std::mutex mu_;
  Status error_;
  bool failed_ = false;
  bool reported_ = false;
};

}  // namespace tsfs
