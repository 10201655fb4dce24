// SgTransport: a Transport over the Linux SG_IO pass-through (libsgutils2 sg_pt).
//
// Opens /dev/sgN, or a st device (/dev/nstN, /dev/stN) directly: the st driver
// passes SG_IO through too, so no sg node is needed. Prefer the no-rewind node
// /dev/nstN: closing /dev/stN makes the st driver rewind the tape. The file is
// opened O_NONBLOCK so an empty drive still opens.
//
// Deliberately thin: all tape logic lives in ssc/unit and is shared with the
// other transports. Owns the file descriptor. One thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "tapecore/status.h"
#include "tapecore/transport/transport.h"

namespace tsfs {

class SgTransport final : public Transport {
 public:
  // kNotFound when `path` does not exist; kInvalidArgument when it is not a
  // SCSI generic or SCSI tape character device; kPermission or kIo otherwise.
  static Result<std::unique_ptr<SgTransport>> Open(const std::string& path);
  ~SgTransport() override;

  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data,
                               std::chrono::milliseconds timeout) override;
  std::string Describe() const override { return path_; }

 private:
  SgTransport(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::string path_;
  int fd_;  // owned
};

}  // namespace tsfs
