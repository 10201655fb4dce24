// SenseLogTransport: the unit's view of its transport. It forwards every
// command unchanged and looks at the answers: with prsense it logs every
// sense buffer with its CDB (ts TSC_PRSENSE); it also notes UNIT ATTENTION so
// the unit can drop its catalog and position after a tape change, or set the
// drive up again after a reset (29/xx: power on, reset, a new iSCSI
// session; see iscsi_transport.h).
//
// Ownership: owns the real transport. Thread-safety: like any Transport, one
// thread at a time; the attention flag is atomic.
#pragma once

#include <atomic>
#include <memory>

#include "tapecore/transport/transport.h"
#include "tapecore/unit/diagnostics.h"

namespace tsfs {

class SenseLogTransport final : public Transport {
 public:
  SenseLogTransport(std::unique_ptr<Transport> inner, const Diagnostics& diag)
      : inner_(std::move(inner)), diag_(diag) {}

  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data,
                               std::chrono::milliseconds timeout) override;
  std::string Describe() const override { return inner_->Describe(); }
  // A wrapper forwards the limit too: without it Ssc would not split transfers.
  TransferLimit MaxTransfer() const override { return inner_->MaxTransfer(); }

  // What the UNIT ATTENTIONs since the last call said: kReset when every
  // one was 29/xx (the drive, or the session to it, was reset: the medium
  // is the same but position and block length are lost), kChange for any
  // other (a tape change, 28/00, or parameters changed).
  enum class Attention { kNone, kReset, kChange };
  Attention TakeAttention() {
    const int seen = attention_.exchange(0);
    if ((seen & kChangeBit) != 0) return Attention::kChange;
    return (seen & kResetBit) != 0 ? Attention::kReset : Attention::kNone;
  }
  // A UNIT ATTENTION was seen and not taken yet (nothing is taken).
  bool AttentionPending() const { return attention_.load() != 0; }

 private:
  static constexpr int kResetBit = 1;
  static constexpr int kChangeBit = 2;
  std::unique_ptr<Transport> inner_;
  const Diagnostics& diag_;
  std::atomic<int> attention_{0};
};

}  // namespace tsfs
