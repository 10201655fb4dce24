// TransportRef: a Transport that forwards to one owned elsewhere. The
// library owns each drive's transport for as long as it runs; a TapeUnit
// (which owns the transport it is given) gets a TransportRef, so the library
// can still UNLOAD the drive after the unit is gone.
//
// Cut(): the cartridge the unit was made for left the drive behind the
// library's back, or the drive went away; from then on every command fails
// without reaching the drive, so nothing the unit still has to write (a
// buffer, a filemark) goes to whatever tape is in the drive now.
//
// The referenced transport must outlive the TransportRef. Cut() may be
// called from any thread.
#pragma once

#include <atomic>
#include <string>

#include "tapecore/transport/transport.h"

namespace tsfs::library {

class TransportRef final : public Transport {
 public:
  explicit TransportRef(Transport& target) : target_(target) {}
  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data,
                               std::chrono::milliseconds timeout) override {
    if (const char* why = cut_.load()) return Status::Error(ErrorCode::kIo, why);
    return target_.Execute(cdb, data, timeout);
  }
  TransferLimit MaxTransfer() const override { return target_.MaxTransfer(); }
  std::string Describe() const override { return target_.Describe(); }
  // `why` is what every later command answers (a string literal).
  void Cut(const char* why) { cut_ = why; }

 private:
  Transport& target_;
  std::atomic<const char*> cut_{nullptr};
};

}  // namespace tsfs::library
