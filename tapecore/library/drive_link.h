// DriveLink: the library's own transport of one drive, owning the real one.
// Every command to the drive goes through it (the library's and, through a
// TransportRef, the unit's), and it notes the first sign that the drive has
// gone away:
//   - no answer at all (the transport failed: connection lost, selection
//     timeout, the target's session gone and not back);
//   - CHECK CONDITION ILLEGAL REQUEST 25/00 (logical unit not supported: the
//     LUN was removed; tgtd after `tgtadm --op delete --mode logicalunit`);
//   - an INQUIRY answer with peripheral qualifier 011b (no logical unit
//     here; tgtd answers a removed LUN's INQUIRY so).
// The library takes such a drive out of its pool (tape_library.h). A drive
// that merely answers with an error (NOT READY, HARDWARE ERROR) is not gone.
//
// Thread-safe: commands are sent one at a time (a mutex: the library's
// INQUIRY never goes between the commands of a unit's reader thread on one
// iSCSI connection); any thread may ask gone().
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "tapecore/transport/transport.h"

namespace tsfs::library {

class DriveLink final : public Transport {
 public:
  explicit DriveLink(std::unique_ptr<Transport> inner) : inner_(std::move(inner)) {}
  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data,
                               std::chrono::milliseconds timeout) override;
  TransferLimit MaxTransfer() const override { return inner_->MaxTransfer(); }
  std::string Describe() const override { return inner_->Describe(); }

  bool gone() const { return gone_.load(); }
  // Why it is taken for gone (the first sign); empty while it is not.
  std::string why() const;
  // Asks the drive whether it is still there (one standard INQUIRY, which
  // takes no UNIT ATTENTION away from the unit). False when it is gone.
  bool StillThere();

 private:
  void NoteGone(std::string why);

  std::unique_ptr<Transport> inner_;
  std::mutex exec_mu_;  // one command at a time
  std::atomic<bool> gone_{false};
  mutable std::mutex mu_;
  std::string why_;  // guarded by mu_
};

}  // namespace tsfs::library
