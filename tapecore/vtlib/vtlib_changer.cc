// The SMC command interpreter of VtapeLibrary (see vtape_library.h).
#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "tapecore/vtape/vtape_sense.h"
#include "tapecore/vtlib/vtape_library.h"

namespace tsfs::vtlib {

namespace {

using smc::ElementType;

constexpr uint8_t kTestUnitReady = 0x00;
constexpr uint8_t kRequestSense = 0x03;
constexpr uint8_t kInitializeElementStatus = 0x07;
constexpr uint8_t kInquiry = 0x12;
constexpr uint8_t kModeSense6 = 0x1A;
constexpr uint8_t kPreventAllow = 0x1E;
constexpr uint8_t kModeSense10 = 0x5A;
constexpr uint8_t kReportLuns = 0xA0;
constexpr uint8_t kMoveMedium = 0xA5;
constexpr uint8_t kReadElementStatus = 0xB8;

size_t CdbLength(uint8_t op) {
  if (op >= 0xA0) return 12;
  if (op >= 0x20) return 10;
  return 6;
}

uint16_t Be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
uint32_t Be24(const uint8_t* p) { return (uint32_t{p[0]} << 16) | Be16(p + 1); }
void Put16(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
void Put24(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 16);
  Put16(p + 1, v);
}

ScsiResponse Good() { return ScsiResponse{}; }
ScsiResponse InvalidField() { return CheckCondition(SenseKey::kIllegalRequest, 0x24, 0x00); }
ScsiResponse InvalidElement() { return CheckCondition(SenseKey::kIllegalRequest, 0x21, 0x01); }

}  // namespace

Result<ScsiResponse> VtapeLibrary::ExecuteChanger(Cdb cdb, DataBuffer data) {
  if (cdb.empty()) return CheckCondition(SenseKey::kIllegalRequest, 0x20, 0x00);
  const uint8_t op = cdb[0];
  if (cdb.size() < CdbLength(op)) return InvalidField();
  std::lock_guard<std::mutex> lock(mu_);
  switch (op) {
    case kTestUnitReady:
      return Good();
    case kRequestSense:
      return DataInResponse(data, vtape::BuildFixedSense({}), cdb[4]);
    case kInquiry:
      return Inquiry(cdb, data);
    case kModeSense6:
      return ModeSense(cdb, data, false);
    case kModeSense10:
      return ModeSense(cdb, data, true);
    case kPreventAllow:
      prevented_ = (cdb[4] & 0x03) != 0;
      return Good();
    case kInitializeElementStatus:
      // The scan finds the slots of missing cartridges empty.
      ++stats_.initializations;
      for (Element& e : elements_) {
        if (e.cartridge >= 0 && cartridges_[e.cartridge].missing) {
          e.cartridge = -1;
          e.source.reset();
        }
      }
      return Good();
    case kReadElementStatus:
      ++stats_.element_status_reads;
      return ReadElementStatus(cdb, data);
    case kMoveMedium:
      return MoveMedium(cdb);
    case kReportLuns: {
      const std::vector<uint8_t> b{0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
      return DataInResponse(data, b, (size_t{cdb[6]} << 24) | Be24(&cdb[7]));
    }
    default:
      return CheckCondition(SenseKey::kIllegalRequest, 0x20, 0x00);
  }
}

ScsiResponse VtapeLibrary::Inquiry(Cdb cdb, DataBuffer& data) {
  const bool evpd = cdb[1] & 0x01;
  const uint8_t page = cdb[2];
  const size_t allocation = Be16(&cdb[3]);
  std::vector<uint8_t> b;
  const std::string serial = serial_ + "C";
  if (!evpd) {
    if (page != 0) return InvalidField();
    b.assign(36, 0);
    b[0] = 0x08;  // medium changer device
    b[1] = 0x80;  // removable medium
    b[2] = 0x06;
    b[3] = 0x02;
    b[4] = 31;
    std::memcpy(&b[8], "TSFS    ", 8);
    std::memcpy(&b[16], "VTLIB           ", 16);
    std::memcpy(&b[32], "0001", 4);
  } else if (page == 0x00) {
    b = {0x08, 0x00, 0x00, 0x02, 0x00, 0x80};
  } else if (page == 0x80) {
    b = {0x08, 0x80, 0x00, static_cast<uint8_t>(serial.size())};
    b.insert(b.end(), serial.begin(), serial.end());
  } else {
    return InvalidField();
  }
  return DataInResponse(data, b, allocation);
}

ScsiResponse VtapeLibrary::ModeSense(Cdb cdb, DataBuffer& data, bool ten) {
  const uint8_t page = cdb[2] & 0x3F;
  if ((cdb[2] >> 6) == 1) return InvalidField();  // no changeable values
  if (page != 0x1D && page != 0x3F) return InvalidField();
  std::vector<uint8_t> p(20, 0);
  p[0] = 0x1D;
  p[1] = 0x12;
  const smc::ElementRange ranges[] = {addresses_.transport, addresses_.storage,
                                      addresses_.import_export, addresses_.data_transfer};
  for (int i = 0; i < 4; ++i) {
    Put16(&p[2 + 4 * i], ranges[i].first);
    Put16(&p[4 + 4 * i], ranges[i].count);
  }
  std::vector<uint8_t> b(ten ? 8 : 4, 0);
  b.insert(b.end(), p.begin(), p.end());
  if (ten) {
    Put16(&b[0], static_cast<uint32_t>(b.size() - 2));
  } else {
    b[0] = static_cast<uint8_t>(b.size() - 1);
  }
  const size_t allocation = ten ? Be16(&cdb[7]) : cdb[4];
  return DataInResponse(data, b, allocation);
}

std::vector<uint8_t> VtapeLibrary::Descriptor(const Element& e, bool voltag, bool dvcid) const {
  std::vector<uint8_t> d(12, 0);
  Put16(&d[0], e.address);
  const bool full = e.cartridge >= 0;
  uint8_t flags = full ? 0x01 : 0x00;
  if (e.except) flags |= 0x04;
  bool access = true;
  if (e.type == ElementType::kDataTransfer) {
    const DriveState s = drives_[e.drive]->State();
    access = !s.loaded || s.ejected;
  }
  if (access && e.type != ElementType::kMediumTransport) flags |= 0x08;
  if (e.type == ElementType::kImportExport) flags |= 0x30;  // INENAB, EXENAB
  d[2] = flags;
  d[4] = e.asc;
  d[5] = e.ascq;
  if (full && e.source) {
    d[9] = 0x80;
    Put16(&d[10], *e.source);
  }
  if (voltag) {
    std::string tag;
    if (full && cartridges_[e.cartridge].cartridge.volume_tag) {
      tag = *cartridges_[e.cartridge].cartridge.volume_tag;
    }
    tag.resize(32, ' ');
    d.insert(d.end(), tag.begin(), tag.end());
    d.insert(d.end(), {0, 0, 0, 0});
  }
  if (dvcid) {
    if (e.type == ElementType::kDataTransfer) {
      const std::string id = drives_[e.drive]->Identifier();
      d.insert(d.end(), {0x02, 0x01, 0x00, static_cast<uint8_t>(id.size())});
      d.insert(d.end(), id.begin(), id.end());
    } else {
      d.insert(d.end(), {0, 0, 0, 0});
    }
  }
  return d;
}

ScsiResponse VtapeLibrary::ReadElementStatus(Cdb cdb, DataBuffer& data) {
  const bool voltag = cdb[1] & 0x10;
  const uint8_t code = cdb[1] & 0x0F;
  const uint16_t start = Be16(&cdb[2]);
  const uint16_t count = Be16(&cdb[4]);
  const bool dvcid = cdb[6] & 0x01;
  const uint32_t allocation = Be24(&cdb[7]);
  if (code > 4) return InvalidField();
  if (Find(start) == nullptr) return InvalidElement();
  std::vector<uint8_t> pages;
  uint16_t reported = 0;
  uint16_t first = 0;
  for (uint8_t t = 1; t <= 4; ++t) {
    if (code != 0 && code != t) continue;
    std::vector<uint8_t> body;
    size_t length = 0;
    for (const Element& e : elements_) {
      if (static_cast<uint8_t>(e.type) != t || e.address < start || reported >= count) continue;
      const std::vector<uint8_t> d = Descriptor(e, voltag, dvcid);
      length = d.size();
      if (reported++ == 0) first = e.address;
      body.insert(body.end(), d.begin(), d.end());
    }
    if (body.empty()) continue;
    std::vector<uint8_t> h(8, 0);
    h[0] = t;
    h[1] = voltag ? 0x80 : 0x00;
    Put16(&h[2], static_cast<uint32_t>(length));
    Put24(&h[5], static_cast<uint32_t>(body.size()));
    pages.insert(pages.end(), h.begin(), h.end());
    pages.insert(pages.end(), body.begin(), body.end());
  }
  // The reply is sized once and the pages copied in: GCC 12 at -O3 reports a
  // false -Warray-bounds for insert() at the end of an 8-byte vector.
  std::vector<uint8_t> b(8 + pages.size(), 0);
  Put16(&b[0], first);
  Put16(&b[2], reported);
  Put24(&b[5], static_cast<uint32_t>(pages.size()));
  std::copy(pages.begin(), pages.end(), b.begin() + 8);
  return DataInResponse(data, b, allocation);
}

ScsiResponse VtapeLibrary::MoveMedium(Cdb cdb) {
  ++move_commands_;
  const uint16_t transport = Be16(&cdb[2]);
  Element* from = Find(Be16(&cdb[4]));
  Element* to = Find(Be16(&cdb[6]));
  ScsiResponse r;
  if ((transport != 0 && transport != addresses_.transport.first) || from == nullptr ||
      to == nullptr || from->type == ElementType::kMediumTransport ||
      to->type == ElementType::kMediumTransport) {
    r = InvalidElement();
  } else if (cdb[10] & 0x01) {
    r = InvalidField();  // single-sided media
  } else {
    r = Move(*from, *to);
  }
  if (r.status == kScsiGood) {
    ++stats_.moves;
  } else {
    ++stats_.failed_moves;
  }
  for (const auto& [drive, after] : options_.gone_drives) {
    if (after == move_commands_) drives_[drive]->GoAway();
  }
  return r;
}

ScsiResponse VtapeLibrary::Move(Element& from, Element& to) {
  if (from.cartridge < 0) return CheckCondition(SenseKey::kIllegalRequest, 0x3B, 0x0E);
  if (to.cartridge >= 0) return CheckCondition(SenseKey::kIllegalRequest, 0x3B, 0x0D);
  if (options_.fail_moves.count(move_commands_)) {
    return CheckCondition(SenseKey::kHardwareError, 0x15, 0x01);
  }
  bool forced = false;
  if (from.type == ElementType::kDataTransfer) {
    const DriveState s = drives_[from.drive]->State();
    if (s.prevented) return CheckCondition(SenseKey::kIllegalRequest, 0x53, 0x02);
    if (s.stuck) return CheckCondition(SenseKey::kHardwareError, 0x53, 0x00);
    forced = !s.ejected;
  }
  CartridgeState& c = cartridges_[from.cartridge];
  if (c.missing && from.type == ElementType::kStorage) {
    // The picker finds the slot empty: from now on it reads empty.
    from.cartridge = -1;
    from.source.reset();
    from.except = true;
    from.asc = 0x3B;
    from.ascq = 0x0E;
    return CheckCondition(SenseKey::kIllegalRequest, 0x3B, 0x0E);
  }
  if (options_.robot_ms > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(options_.robot_ms));
    stats_.robot_seconds += options_.robot_ms / 1000.0;
  }
  // Out of the drive first: the image is closed before it opens elsewhere
  // (a writable image holds a lock).
  if (from.type == ElementType::kDataTransfer) drives_[from.drive]->Unload();
  if (to.type == ElementType::kDataTransfer) {
    const double ready_at = MonotonicSeconds() + options_.load_ms / 1000.0;
    const Status st = drives_[to.drive]->Load(CartridgeOptions(c.cartridge), ready_at);
    if (!st.ok()) {
      // The cartridge goes back where it was.
      if (from.type == ElementType::kDataTransfer) {
        (void)drives_[from.drive]->Load(CartridgeOptions(c.cartridge), ready_at);
      }
      return CheckCondition(SenseKey::kHardwareError, 0x15, 0x01);
    }
  }
  if (forced) ++stats_.forced_unloads;
  to.cartridge = from.cartridge;
  to.source = from.type == ElementType::kDataTransfer ? from.source : from.address;
  to.except = false;
  to.asc = to.ascq = 0;
  from.cartridge = -1;
  from.source.reset();
  from.except = false;
  from.asc = from.ascq = 0;
  return Good();
}

}  // namespace tsfs::vtlib
