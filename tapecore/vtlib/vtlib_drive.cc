#include "tapecore/vtlib/vtlib_drive.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "tapecore/vtape/tap_image.h"
#include "tapecore/vtape/vtape_sense.h"

namespace tsfs::vtlib {

namespace {

constexpr uint8_t kRequestSense = 0x03;
constexpr uint8_t kInquiry = 0x12;
constexpr uint8_t kLoadUnload = 0x1B;
constexpr uint8_t kPreventAllow = 0x1E;
constexpr uint8_t kReportLuns = 0xA0;

constexpr char kVendor[] = "TSFS    ";
constexpr char kProduct[] = "VTAPE           ";

}  // namespace

double MonotonicSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

ScsiResponse DataInResponse(DataBuffer& data, const std::vector<uint8_t>& bytes,
                            size_t allocation) {
  ScsiResponse r;
  const size_t n = std::min({bytes.size(), allocation, data.length});
  if (n > 0) std::memcpy(data.data, bytes.data(), n);
  r.transport_residual = data.length - n;
  return r;
}

ScsiResponse CheckCondition(SenseKey key, uint8_t asc, uint8_t ascq) {
  ScsiResponse r;
  r.status = kScsiCheckCondition;
  r.sense = vtape::BuildFixedSense({key, asc, ascq});
  return r;
}

VtlibDrive::VtlibDrive(std::string serial, bool stuck)
    : serial_(std::move(serial)), stuck_(stuck) {}

std::string VtlibDrive::Identifier() const { return std::string(kVendor) + kProduct + serial_; }

ScsiResponse VtlibDrive::Inquiry(Cdb cdb, DataBuffer& data) const {
  const bool evpd = cdb[1] & 0x01;
  const uint8_t page = cdb[2];
  const size_t allocation = (size_t{cdb[3]} << 8) | cdb[4];
  std::vector<uint8_t> b;
  if (!evpd) {
    if (page != 0) return CheckCondition(SenseKey::kIllegalRequest, 0x24, 0x00);
    b.assign(36, 0);
    b[0] = 0x01;  // sequential-access device
    b[1] = 0x80;  // removable medium
    b[2] = 0x06;
    b[3] = 0x02;
    b[4] = 31;
    std::memcpy(&b[8], kVendor, 8);
    std::memcpy(&b[16], kProduct, 16);
    std::memcpy(&b[32], "0001", 4);
  } else if (page == 0x00) {
    b = {0x01, 0x00, 0x00, 0x03, 0x00, 0x80, 0x83};
  } else if (page == 0x80) {
    b = {0x01, 0x80, 0x00, static_cast<uint8_t>(serial_.size())};
    b.insert(b.end(), serial_.begin(), serial_.end());
  } else if (page == 0x83) {
    const std::string id = Identifier();
    b = {0x01, 0x83, 0x00, static_cast<uint8_t>(4 + id.size())};
    b.insert(b.end(), {0x02, 0x01, 0x00, static_cast<uint8_t>(id.size())});
    b.insert(b.end(), id.begin(), id.end());
  } else {
    return CheckCondition(SenseKey::kIllegalRequest, 0x24, 0x00);
  }
  return DataInResponse(data, b, allocation);
}

Result<ScsiResponse> VtlibDrive::Execute(Cdb cdb, DataBuffer data, double now) {
  if (gone_.load()) {
    return Status::Error(ErrorCode::kTransport,
                         "vtlib drive " + serial_ + " does not answer (it went away)");
  }
  if (cdb.empty()) return CheckCondition(SenseKey::kIllegalRequest, 0x20, 0x00);
  const uint8_t op = cdb[0];
  std::lock_guard<std::mutex> lock(mu_);
  if (op == kInquiry) {
    if (cdb.size() < 6) return CheckCondition(SenseKey::kIllegalRequest, 0x24, 0x00);
    return Inquiry(cdb, data);
  }
  if (op == kPreventAllow && cdb.size() >= 6) {
    prevented_ = (cdb[4] & 0x03) != 0;
    if (!target_) return ScsiResponse{};
  }
  if (op == kReportLuns && !target_) {
    const std::vector<uint8_t> b{0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    return DataInResponse(data, b, data.length);
  }
  const bool becoming_ready = target_ && now < ready_at_;
  if (op == kRequestSense && (!target_ || becoming_ready)) {
    const auto sense =
        vtape::BuildFixedSense({SenseKey::kNotReady, static_cast<uint8_t>(target_ ? 0x04 : 0x3A),
                                static_cast<uint8_t>(target_ ? 0x01 : 0x00)});
    return DataInResponse(data, sense, cdb.size() > 4 ? cdb[4] : 0);
  }
  if (!target_) return CheckCondition(SenseKey::kNotReady, 0x3A, 0x00);
  if (becoming_ready) return CheckCondition(SenseKey::kNotReady, 0x04, 0x01);
  const bool unload = op == kLoadUnload && cdb.size() >= 6 && (cdb[4] & 0x01) == 0;
  if (unload && stuck_) return CheckCondition(SenseKey::kHardwareError, 0x53, 0x00);
  TSFS_ASSIGN_OR_RETURN(ScsiResponse r, target_->Execute(cdb, data, now));
  if (op == kLoadUnload && r.status == kScsiGood) ejected_ = unload;
  return r;
}

Status VtlibDrive::Load(const vtape::VtapeOptions& cartridge, double ready_at) {
  TSFS_ASSIGN_OR_RETURN(auto image,
                        vtape::TapImage::Open(cartridge.path, cartridge.read_only, false));
  auto target = std::make_unique<vtape::VtapeTarget>(cartridge, std::move(image));
  // A cartridge just put in: the first medium command answers UNIT ATTENTION 28/00.
  target->ChangeTape(nullptr, cartridge.read_only);
  std::lock_guard<std::mutex> lock(mu_);
  target_ = std::move(target);
  ready_at_ = ready_at;
  ejected_ = false;
  return Status::Ok();
}

void VtlibDrive::Unload() {
  std::unique_ptr<vtape::VtapeTarget> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    old = std::move(target_);
    ejected_ = false;
  }
  // The image closes (and its lock goes) outside the drive's mutex.
}

DriveState VtlibDrive::State() const {
  std::lock_guard<std::mutex> lock(mu_);
  return DriveState{target_ != nullptr, ejected_, prevented_, stuck_};
}

std::optional<vtape::VtapeStats> VtlibDrive::CartridgeStats() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!target_) return std::nullopt;
  return target_->Stats();
}

}  // namespace tsfs::vtlib
