#include "tapecore/vtlib/vtape_library.h"

#include <cstdio>

namespace tsfs::vtlib {

namespace {

constexpr uint16_t kPicker = 0x0001;
constexpr uint16_t kFirstImportExport = 0x0010;
constexpr uint16_t kFirstDrive = 0x0100;
constexpr uint16_t kFirstSlot = 0x1000;

// A stable serial per library directory: "VL" + 6 hex digits, then the role.
std::string SerialBase(const std::string& directory) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : directory) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "VL%06llX", static_cast<unsigned long long>(h & 0xFFFFFF));
  return buf;
}

class ChangerTransport final : public Transport {
 public:
  explicit ChangerTransport(std::shared_ptr<VtapeLibrary> lib) : lib_(std::move(lib)) {}
  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data, std::chrono::milliseconds) override {
    return lib_->ExecuteChanger(cdb, data);
  }
  std::string Describe() const override {
    return "vtlib:" + lib_->options().directory + " changer";
  }

 private:
  std::shared_ptr<VtapeLibrary> lib_;
};

class DriveTransport final : public Transport {
 public:
  DriveTransport(std::shared_ptr<VtapeLibrary> lib, int index)
      : lib_(std::move(lib)), index_(index) {}
  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data, std::chrono::milliseconds) override {
    return lib_->ExecuteDrive(index_, cdb, data);
  }
  std::string Describe() const override {
    return "vtlib:" + lib_->options().directory + " drive " + std::to_string(index_);
  }

 private:
  std::shared_ptr<VtapeLibrary> lib_;
  int index_;
};

}  // namespace

Result<std::shared_ptr<VtapeLibrary>> VtapeLibrary::Open(const std::string& spec) {
  TSFS_ASSIGN_OR_RETURN(VtlibOptions options, ParseVtlibSpec(spec));
  TSFS_ASSIGN_OR_RETURN(CartridgeLayout layout, ScanCartridges(options.directory, options.slots));
  for (const std::string& tag : options.missing) {
    bool found = false;
    for (const Cartridge& c : layout.cartridges) found = found || c.volume_tag == tag;
    if (!found) {
      return Status::Error(ErrorCode::kInvalidArgument,
                           "vtlib option 'missing': no cartridge " + tag);
    }
  }
  return std::shared_ptr<VtapeLibrary>(new VtapeLibrary(std::move(options), std::move(layout)));
}

VtapeLibrary::VtapeLibrary(VtlibOptions options, CartridgeLayout layout)
    : options_(std::move(options)) {
  serial_ = SerialBase(options_.directory);
  const auto drives = static_cast<uint16_t>(options_.drives);
  const auto ie = static_cast<uint16_t>(options_.import_export);
  const auto slots = static_cast<uint16_t>(layout.slots);
  addresses_.transport = {kPicker, 1};
  addresses_.import_export = {kFirstImportExport, ie};
  addresses_.data_transfer = {kFirstDrive, drives};
  addresses_.storage = {kFirstSlot, slots};
  const auto element = [](smc::ElementType type, int address) {
    Element e;
    e.type = type;
    e.address = static_cast<uint16_t>(address);
    return e;
  };
  elements_.push_back(element(smc::ElementType::kMediumTransport, kPicker));
  for (uint16_t i = 0; i < ie; ++i) {
    elements_.push_back(element(smc::ElementType::kImportExport, kFirstImportExport + i));
  }
  for (uint16_t i = 0; i < drives; ++i) {
    char serial[24];
    std::snprintf(serial, sizeof serial, "%sD%u", serial_.c_str(), unsigned{i});
    drives_.push_back(std::make_unique<VtlibDrive>(serial, options_.stuck_drives.count(i) > 0));
    const auto gone = options_.gone_drives.find(i);
    if (gone != options_.gone_drives.end() && gone->second == 0) drives_.back()->GoAway();
    Element e = element(smc::ElementType::kDataTransfer, kFirstDrive + i);
    e.drive = i;
    elements_.push_back(e);
  }
  const size_t first_slot = elements_.size();
  for (uint16_t i = 0; i < slots; ++i) {
    elements_.push_back(element(smc::ElementType::kStorage, kFirstSlot + i));
  }
  for (Cartridge& c : layout.cartridges) {
    CartridgeState s{std::move(c), false};
    s.missing = s.cartridge.volume_tag && options_.missing.count(*s.cartridge.volume_tag) > 0;
    elements_[first_slot + s.cartridge.slot - 1].cartridge = static_cast<int>(cartridges_.size());
    cartridges_.push_back(std::move(s));
  }
}

std::unique_ptr<Transport> VtapeLibrary::OpenChanger() {
  return std::make_unique<ChangerTransport>(shared_from_this());
}

Result<std::unique_ptr<Transport>> VtapeLibrary::OpenDrive(int index) {
  if (index < 0 || index >= drive_count()) {
    return Status::Error(ErrorCode::kNotFound, "vtlib: no drive " + std::to_string(index));
  }
  return std::unique_ptr<Transport>(std::make_unique<DriveTransport>(shared_from_this(), index));
}

VtlibStats VtapeLibrary::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

Result<ScsiResponse> VtapeLibrary::ExecuteDrive(int index, Cdb cdb, DataBuffer data) {
  if (index < 0 || index >= drive_count()) {
    return Status::Error(ErrorCode::kNotFound, "vtlib: no drive " + std::to_string(index));
  }
  return drives_[index]->Execute(cdb, data, MonotonicSeconds());
}

VtapeLibrary::Element* VtapeLibrary::Find(uint16_t address) {
  for (Element& e : elements_) {
    if (e.address == address) return &e;
  }
  return nullptr;
}

vtape::VtapeOptions VtapeLibrary::CartridgeOptions(const Cartridge& c) const {
  vtape::VtapeOptions o;
  o.path = c.path;
  o.capacity = options_.capacity;
  o.early_warning = options_.early_warning;
  o.read_only = c.volume_tag && options_.read_only.count(*c.volume_tag) > 0;
  o.rate_mb_s = options_.rate_mb_s;
  o.drive_buffer = options_.drive_buffer;
  o.pace = options_.pace;
  return o;
}

}  // namespace tsfs::vtlib
