// SgTransport: a Transport over the Linux SG_IO pass-through (libsgutils2 sg_pt).
//
// Opens /dev/sgN. A SCSI tape node (/dev/nstN, /dev/stN, a /dev/tape/by-id
// link) is mapped to the sg node of the same device through sysfs
// (sysfs_tape_map.h) and that is opened instead: SG_IO sent to the st node
// goes through the st driver's buffer rules and fails (EINVAL) for transfers
// sg takes. The st node is never opened, so closing tsfs never rewinds (tsfs
// rewinds by its own rules). The file is opened O_NONBLOCK so an empty drive
// still opens.
//
// The transfer limit (MaxTransfer) is learned at open: the smallest of the
// queue's max_sectors (BLKSECTGET), the host's scatter-gather table
// (SG_GET_SG_TABLESIZE pages), the sysfs limits of sysfs_tape_map.h and the
// sg reserved buffer, which is first raised to that size
// (SG_SET_RESERVED_SIZE; the kernel may grant less).
//
// Deliberately thin: all tape logic lives in ssc/unit and is shared with the
// other transports. Owns the file descriptor. One thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "tapecore/status.h"
#include "tapecore/transport/sysfs_tape_map.h"
#include "tapecore/transport/transport.h"

namespace tsfs {

struct SgOptions {
  std::string sysfs_root = kSysfsRoot;
  std::string dev_dir = "/dev";
};

class SgTransport final : public Transport {
 public:
  // kNotFound when `path` does not exist; kInvalidArgument when it is not a
  // SCSI generic or SCSI tape character device; kUnsupported for a tape node
  // without an sg peer (the sg module is not loaded); kPermission or kIo otherwise.
  static Result<std::unique_ptr<SgTransport>> Open(const std::string& path,
                                                   const SgOptions& options = {});
  ~SgTransport() override;

  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data,
                               std::chrono::milliseconds timeout) override;
  // "/dev/sg1", or "/dev/sg1 (/dev/nst0)" when a tape node was mapped.
  std::string Describe() const override;
  TransferLimit MaxTransfer() const override { return limit_; }

 private:
  SgTransport(SgNode node, int fd, TransferLimit limit)
      : node_(std::move(node)), path_(node_.path), fd_(fd), limit_(std::move(limit)) {}

  SgNode node_;
  std::string path_;  // the sg node opened
  int fd_;            // owned
  TransferLimit limit_;
};

}  // namespace tsfs
