#include "tapecore/smc/smc.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "tapecore/scsi/sense.h"
#include "tapecore/scsi/ts_words.h"
#include "tapecore/smc/cdb.h"
#include "tapecore/smc/parse.h"
#include "tapecore/ssc/cdb.h"
#include "tapecore/ssc/parse.h"

namespace tsfs::smc {

namespace {

using std::chrono::milliseconds;

// The largest answer asked for at once. Small pieces keep every changer
// happy (some emulations build the answer in one memory page); a large
// library takes a few more commands.
constexpr uint32_t kMaxAllocation = 4096;
// Elements asked for per READ ELEMENT STATUS: 24 descriptors of up to 152
// bytes (both volume tags and a 64-byte identifier) fit kMaxAllocation.
constexpr uint16_t kElementsPerRead = 24;

Result<ScsiResponse> Exec(Transport& t, std::span<const uint8_t> cdb, DataBuffer data,
                          milliseconds timeout) {
  Result<ScsiResponse> r = t.Execute(cdb, data, timeout);
  if (!r.ok()) return r.status().WithCode(ErrorCode::kTransport).WithContext(TsCommandWords(cdb));
  return r;
}

Status Failure(const ScsiResponse& resp, std::span<const uint8_t> cdb) {
  SenseData sense = ParseSense(resp.sense);
  std::string message;
  ErrorCode code = ErrorCode::kScsi;
  if (sense.response_code != 0) {
    message = TsMessage(sense, cdb);
    if (sense.Is(SenseKey::kIllegalRequest, 0x20, 0x00)) code = ErrorCode::kUnsupported;
  } else {
    char buf[64];
    std::snprintf(buf, sizeof buf, " (SCSI status 0x%02x, no sense data)", resp.status);
    message = std::string("Unknown error on ") + TsCommandWords(cdb) + buf;
  }
  return Status::Scsi(TsCommandWords(cdb), std::move(message), resp.status, std::move(sense),
                      std::vector<uint8_t>(cdb.begin(), cdb.end()))
      .WithCode(code);
}

Status Simple(Transport& t, std::span<const uint8_t> cdb, milliseconds timeout) {
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp, Exec(t, cdb, DataBuffer::None(), timeout));
  if (resp.status == kScsiGood) return Status::Ok();
  if (resp.status == kScsiCheckCondition &&
      ParseSense(resp.sense).key == SenseKey::kRecoveredError) {
    return Status::Ok();
  }
  return Failure(resp, cdb);
}

}  // namespace

Status CheckChangerDevice(const InquiryData& inquiry) {
  return CheckPeripheral(inquiry, 0x08, "media changer", ErrorCode::kNotChanger);
}

const ElementStatus* Inventory::Find(uint16_t address) const {
  for (const auto* list : {&transports, &storage, &import_export, &drives}) {
    for (const ElementStatus& e : *list) {
      if (e.address == address) return &e;
    }
  }
  return nullptr;
}

Smc::Smc(Transport& transport, SmcTimeouts timeouts) : transport_(transport), timeouts_(timeouts) {}

Result<InquiryData> Smc::Inquiry() {
  std::array<uint8_t, 96> buf{};
  const auto c = tsfs::cdb::Inquiry(buf.size());
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(buf), timeouts_.normal));
  if (resp.status != kScsiGood) return Failure(resp, c);
  return tsfs::parse::Inquiry(buf);
}

Status Smc::TestUnitReady() {
  return Simple(transport_, tsfs::cdb::TestUnitReady(), timeouts_.normal);
}

Result<ElementAddressAssignment> Smc::ElementAddresses() {
  std::array<uint8_t, 4 + 20> buf{};
  const auto c = tsfs::cdb::ModeSense6(cdb::kElementAddressPage, buf.size(), /*dbd=*/true);
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(buf), timeouts_.normal));
  if (resp.status != kScsiGood) return Failure(resp, c);
  const size_t got = buf.size() - std::min(resp.transport_residual, buf.size());
  return parse::ElementAddressPage(std::span<const uint8_t>(buf).first(got));
}

Status Smc::InitializeElementStatus() {
  return Simple(transport_, cdb::InitializeElementStatus(), timeouts_.inventory);
}

Result<ElementStatusReport> Smc::ReadElementStatus(ElementType type, uint16_t start, uint16_t count,
                                                   bool volume_tags, bool device_identifiers,
                                                   uint32_t allocation_length) {
  std::vector<uint8_t> buf(std::clamp<uint32_t>(allocation_length, 8, 0xFFFFFF));
  const auto c = cdb::ReadElementStatus(
      {type, start, count, volume_tags, device_identifiers, static_cast<uint32_t>(buf.size())});
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(buf), timeouts_.normal));
  if (resp.status != kScsiGood) return Failure(resp, c);
  const size_t got = buf.size() - std::min(resp.transport_residual, buf.size());
  return parse::ElementStatusData(std::span<const uint8_t>(buf).first(got), device_identifiers);
}

Result<std::vector<ElementStatus>> Smc::ReadType(ElementType type, const ElementRange& range) {
  std::vector<ElementStatus> out;
  uint32_t next = range.first;
  const uint32_t end = uint32_t{range.first} + range.count;
  while (next < end) {
    const auto count = static_cast<uint16_t>(std::min<uint32_t>(kElementsPerRead, end - next));
    TSFS_ASSIGN_OR_RETURN(
        ElementStatusReport report,
        ReadElementStatus(type, static_cast<uint16_t>(next), count, true, true, kMaxAllocation));
    uint32_t last = next;
    bool any = false;
    for (ElementStatus& e : report.elements) {
      if (e.type != type || e.address < next || e.address >= end) continue;
      last = std::max<uint32_t>(last, e.address);
      any = true;
      out.push_back(std::move(e));
    }
    // A changer reports no more elements than there are; stop when nothing new came.
    if (!any) break;
    next = last + 1;
  }
  return out;
}

Result<Inventory> Smc::ReadAllElements() {
  Inventory inv;
  TSFS_ASSIGN_OR_RETURN(inv.addresses, ElementAddresses());
  TSFS_ASSIGN_OR_RETURN(inv.transports,
                        ReadType(ElementType::kMediumTransport, inv.addresses.transport));
  TSFS_ASSIGN_OR_RETURN(inv.storage, ReadType(ElementType::kStorage, inv.addresses.storage));
  TSFS_ASSIGN_OR_RETURN(inv.import_export,
                        ReadType(ElementType::kImportExport, inv.addresses.import_export));
  TSFS_ASSIGN_OR_RETURN(inv.drives,
                        ReadType(ElementType::kDataTransfer, inv.addresses.data_transfer));
  return inv;
}

Status Smc::MoveMedium(uint16_t transport, uint16_t source, uint16_t destination) {
  return Simple(transport_, cdb::MoveMedium(transport, source, destination), timeouts_.move);
}

Status Smc::PreventAllowMediumRemoval(bool prevent) {
  return Simple(transport_, tsfs::cdb::PreventAllowMediumRemoval(prevent), timeouts_.normal);
}

Result<std::vector<uint16_t>> Smc::ReportLuns() {
  std::array<uint8_t, 8 + 8 * 64> buf{};
  const auto c = cdb::ReportLuns(buf.size());
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(buf), timeouts_.normal));
  if (resp.status != kScsiGood) return Failure(resp, c);
  return parse::ReportLunsData(buf);
}

}  // namespace tsfs::smc
