// Smc: typed SMC-3 operations of a SCSI media changer over one Transport.
// Each method builds one CDB (smc/cdb.h, or ssc/cdb.h for the SPC ones),
// executes it and parses the answer (smc/parse.h); nothing above this layer
// builds a changer CDB.
//
// Failures come back as Status with the sense attached and a message in ts
// words: "Hardware error on move medium", "Illegal request on move medium".
// The code is kTransport when the changer did not answer, kNotChanger from
// CheckChangerDevice, kUnsupported for a command the changer does not have
// (ILLEGAL REQUEST 20/00), kScsi otherwise.
//
// Not thread-safe: one Smc is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "tapecore/smc/element.h"
#include "tapecore/ssc/ssc.h"
#include "tapecore/status.h"
#include "tapecore/transport/transport.h"

namespace tsfs::smc {

struct SmcTimeouts {
  std::chrono::milliseconds normal{60'000};        // inquiry, mode sense, element status
  std::chrono::milliseconds move{15 * 60'000};     // one robot move
  std::chrono::milliseconds inventory{3'600'000};  // initialize element status (a scan)
};

// OK for a media changer (peripheral device type 0x08, qualifier 0);
// otherwise kNotChanger naming what it is: "not a media changer: peripheral
// device type 0x01 (tape)".
Status CheckChangerDevice(const InquiryData& inquiry);

// Every element of a changer, as read by Smc::ReadAllElements.
struct Inventory {
  ElementAddressAssignment addresses;
  std::vector<ElementStatus> transports;
  std::vector<ElementStatus> storage;
  std::vector<ElementStatus> import_export;
  std::vector<ElementStatus> drives;  // data transfer elements

  // The element at `address`, or nullptr.
  const ElementStatus* Find(uint16_t address) const;
};

class Smc final {
 public:
  explicit Smc(Transport& transport, SmcTimeouts timeouts = {});  // transport not owned
  Smc(const Smc&) = delete;
  Smc& operator=(const Smc&) = delete;

  Transport& transport() { return transport_; }

  Result<InquiryData> Inquiry();
  Status TestUnitReady();
  // MODE SENSE(6) page 0x1D.
  Result<ElementAddressAssignment> ElementAddresses();
  // INITIALIZE ELEMENT STATUS: the changer checks every element (a scan).
  Status InitializeElementStatus();
  // READ ELEMENT STATUS of `count` elements of `type` from `start` on.
  // `allocation_length` bounds the answer (the report is marked truncated
  // when it did not fit).
  Result<ElementStatusReport> ReadElementStatus(ElementType type, uint16_t start, uint16_t count,
                                                bool volume_tags, bool device_identifiers,
                                                uint32_t allocation_length);
  // Every element of every type, with volume tags and device identifiers,
  // one type at a time (tgtd's answer to element type 0 is not usable, see
  // TARGETS.md) and in pieces of at most 4 KiB of answer.
  Result<Inventory> ReadAllElements();
  // MOVE MEDIUM from `source` to `destination` with the picker `transport`.
  Status MoveMedium(uint16_t transport, uint16_t source, uint16_t destination);
  Status PreventAllowMediumRemoval(bool prevent);
  // REPORT LUNS of the target the changer is on (drives of an iSCSI library).
  Result<std::vector<uint16_t>> ReportLuns();

 private:
  Result<std::vector<ElementStatus>> ReadType(ElementType type, const ElementRange& range);

  Transport& transport_;
  SmcTimeouts timeouts_;
};

}  // namespace tsfs::smc
