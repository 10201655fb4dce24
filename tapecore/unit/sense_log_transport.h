// SenseLogTransport: the unit's view of its transport. It forwards every
// command unchanged and looks at the answers: with prsense it logs every
// sense buffer with its CDB (ts TSC_PRSENSE); it also notes UNIT ATTENTION so
// the unit can drop its catalog and position after a tape change.
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

  // True once when a UNIT ATTENTION was seen since the last call.
  bool TakeUnitAttention() { return attention_.exchange(false); }

 private:
  std::unique_ptr<Transport> inner_;
  const Diagnostics& diag_;
  std::atomic<bool> attention_{false};
};

}  // namespace tsfs
