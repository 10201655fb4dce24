// Transport: executes one SCSI command (CDB) on one logical unit.
//
// Every tape command from every layer goes through Transport::Execute. The
// implementations are sg (libsgutils2 sg_pt), iscsi (libiscsi) and vtape
// (the in-process SSC target). A CHECK CONDITION is not a transport failure:
// it comes back as a ScsiResponse with the sense bytes; Execute fails only
// when there is no answer (connection lost, target gone, timeout).
//
// A Transport is used by one thread at a time (the unit serialises access).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tapecore/status.h"

namespace tsfs {

enum class DataDirection { kNone, kIn, kOut };

// The data phase of one command: a buffer the target fills (kIn) or reads (kOut).
struct DataBuffer {
  DataDirection direction = DataDirection::kNone;
  uint8_t* data = nullptr;
  size_t length = 0;

  static DataBuffer None() { return {}; }
  static DataBuffer In(std::span<uint8_t> buf) {
    return {DataDirection::kIn, buf.data(), buf.size()};
  }
  static DataBuffer Out(std::span<const uint8_t> buf) {
    // The target only reads an out buffer; the const is cast away to share one struct.
    return {DataDirection::kOut, const_cast<uint8_t*>(buf.data()), buf.size()};
  }
};

// SCSI status byte values (SAM-5).
inline constexpr uint8_t kScsiGood = 0x00;
inline constexpr uint8_t kScsiCheckCondition = 0x02;
inline constexpr uint8_t kScsiBusy = 0x08;
inline constexpr uint8_t kScsiReservationConflict = 0x18;

struct ScsiResponse {
  uint8_t status = kScsiGood;
  std::vector<uint8_t> sense;  // raw sense bytes when status is CHECK CONDITION
  // What the transport says was not transferred. Tape code must not trust it
  // (tgtd reports 0 on a short read into a filemark, see TARGETS.md); use the
  // sense INFORMATION field instead. Kept for diagnostics and non-tape data.
  size_t transport_residual = 0;
};

using Cdb = std::span<const uint8_t>;

// The largest data phase one command may carry through a transport, and what
// says so. Ssc splits longer fixed-block transfers into several commands.
struct TransferLimit {
  static constexpr size_t kUnlimited = SIZE_MAX;
  size_t max_bytes = kUnlimited;
  std::string source;  // "sg reserved 1040384, BLKSECTGET 4194304, ..."; "" when unlimited
};

class Transport {
 public:
  Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
  virtual ~Transport() = default;

  virtual Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data,
                                       std::chrono::milliseconds timeout) = 0;

  // The largest data phase one command may carry. sg: the device and host
  // adapter limits; iscsi and vtape: unlimited (the target's own limits are
  // in READ BLOCK LIMITS). A command with more data fails on a real kernel.
  virtual TransferLimit MaxTransfer() const { return {}; }

  // A short human-readable name of what this transport reaches
  // ("iscsi://127.0.0.1:3260/iqn.../1", "vtape:/tmp/t.tap").
  virtual std::string Describe() const = 0;
};

}  // namespace tsfs
