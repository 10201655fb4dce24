// ProbeCapabilities against a small simulated drive whose answers follow
// SSC-3 or reproduce the tgtd/istgt answers of TARGETS.md. The probe against
// the real tgtd and istgt runs in probe_targets_test.cc.
#include "tapecore/ssc/probe.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace tsfs {
namespace {

using B = std::vector<uint8_t>;

B Sense(uint8_t flags_key, uint8_t asc, uint8_t ascq) {
  return B{0x70, 0, flags_key, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, asc, ascq, 0, 0, 0, 0};
}

// A drive with `records` blocks of 512 bytes from BOT, then end of data.
class FakeDrive final : public Transport {
 public:
  struct Behaviour {
    const char* vendor = "ACME";
    const char* product = "TAPE9000";
    const char* revision = "1.0";
    uint8_t device_type = 0x01;
    int records = 0;
    bool read_position = true;
    bool position_unknown = false;  // tgtd: BPU always, never BOP
    bool off_by_one = false;        // istgt
    bool locate = true;
    bool erase = true;
    bool log_sense = true;
    bool fixed_eod_medium_error = false;  // tgtd
    bool medium_error_at_bot = false;     // a damaged tape
    int unit_attentions = 0;
    bool not_ready = false;
  };
  explicit FakeDrive(Behaviour b) : b_(b) {}

  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data, std::chrono::milliseconds) override {
    opcodes_.push_back(cdb[0]);
    ScsiResponse r;
    auto fill = [&](const B& bytes) {
      std::copy_n(bytes.begin(), std::min(bytes.size(), data.length), data.data);
    };
    auto check = [&](B sense) {
      r.status = kScsiCheckCondition;
      r.sense = std::move(sense);
    };
    const uint8_t op = cdb[0];
    if (op != 0x12 && b_.unit_attentions > 0) {
      --b_.unit_attentions;
      check(Sense(0x06, 0x29, 0x00));
      return r;
    }
    switch (op) {
      case 0x12: {  // INQUIRY
        B d(36, ' ');
        d[0] = b_.device_type;
        d[1] = 0x80;
        d[4] = 31;
        std::memcpy(&d[8], b_.vendor, std::strlen(b_.vendor));
        std::memcpy(&d[16], b_.product, std::strlen(b_.product));
        std::memcpy(&d[32], b_.revision, std::strlen(b_.revision));
        fill(d);
        break;
      }
      case 0x00:  // TEST UNIT READY
        if (b_.not_ready) check(Sense(0x02, 0x3A, 0x00));
        break;
      case 0x1A:  // MODE SENSE: fixed 512
        fill(B{0x0B, 0, 0x10, 0x08, 0, 0, 0, 0, 0, 0, 0x02, 0x00});
        break;
      case 0x01:  // REWIND
        pos_ = 0;
        break;
      case 0x34: {  // READ POSITION
        if (!b_.read_position) {
          check(Sense(0x05, 0x20, 0x00));
          break;
        }
        const uint64_t shown = pos_ > 0 && b_.off_by_one ? pos_ + 1 : pos_;
        B d(data.length, 0);
        if (cdb[1] == 0x06) {
          d[0] = pos_ == 0 ? 0x80 : 0;
          d[15] = static_cast<uint8_t>(shown);
        } else {
          d[0] = b_.position_unknown ? 0x14 : (pos_ == 0 ? 0x80 : 0x00);
          if (!b_.position_unknown) d[7] = static_cast<uint8_t>(shown);
        }
        fill(d);
        break;
      }
      case 0x4D:  // LOG SENSE 0x31
        if (!b_.log_sense) {
          check(Sense(0x05, 0x20, 0x00));
          break;
        }
        fill(B{0x31, 0, 0, 0x10, 0, 1, 0x40, 4, 0, 0, 0, 150, 0, 3, 0x40, 4, 0, 0, 0, 200});
        break;
      case 0x1E:  // PREVENT ALLOW
        break;
      case 0x2B:  // LOCATE
        if (!b_.locate) {
          check(Sense(0x05, 0x20, 0x00));
          break;
        }
        pos_ = (uint64_t{cdb[3]} << 24) | (cdb[4] << 16) | (cdb[5] << 8) | cdb[6];
        if (b_.off_by_one && pos_ > 0) --pos_;
        break;
      case 0x08: {  // READ one block / record
        const bool fixed = cdb[1] & 0x01;
        if (b_.medium_error_at_bot) {
          check(Sense(0x03, 0x11, 0x00));
        } else if (static_cast<int>(pos_) >= b_.records) {
          if (fixed && b_.fixed_eod_medium_error) {
            check(Sense(0x03, 0x31, 0x00));
          } else {
            check(Sense(fixed ? 0x08 : 0x48, 0x00, fixed ? 0x05 : 0x00));
          }
        } else {
          ++pos_;
          if (!fixed) r.transport_residual = data.length - 512;
        }
        break;
      }
      case 0x19:  // ERASE
        erase_at_.push_back(pos_);
        if (!b_.erase) check(Sense(0x05, 0x20, 0x00));
        break;
      default:
        check(Sense(0x05, 0x20, 0x00));
    }
    return r;
  }
  std::string Describe() const override { return "fake"; }

  const std::vector<uint8_t>& opcodes() const { return opcodes_; }
  const std::vector<uint64_t>& erase_at() const { return erase_at_; }
  uint64_t position() const { return pos_; }

 private:
  Behaviour b_;
  uint64_t pos_ = 0;
  std::vector<uint8_t> opcodes_;
  std::vector<uint64_t> erase_at_;
};

// What every probe must keep: no data written, ends at BOT with a REWIND.
void ExpectHarmless(const FakeDrive& drive) {
  for (uint8_t op : drive.opcodes()) {
    EXPECT_NE(op, 0x0A) << "WRITE sent";
    EXPECT_NE(op, 0x10) << "WRITE FILEMARKS sent";
    EXPECT_NE(op, 0x15) << "MODE SELECT sent";
    EXPECT_NE(op, 0x11) << "SPACE sent";
  }
  ASSERT_FALSE(drive.opcodes().empty());
  EXPECT_EQ(drive.opcodes().back(), 0x01);
  EXPECT_EQ(drive.position(), 0u);
}

TEST(ProbeTest, ConformingBlankTape) {
  FakeDrive drive({});
  Ssc ssc(drive);
  auto caps = ProbeCapabilities(ssc);
  ASSERT_TRUE(caps.ok()) << caps.status().ToString();
  EXPECT_TRUE(caps->read_position);
  EXPECT_TRUE(caps->read_position_long);
  EXPECT_TRUE(caps->read_position_trusted);
  EXPECT_TRUE(caps->locate);
  EXPECT_TRUE(caps->erase);
  EXPECT_TRUE(caps->erase_tested);
  EXPECT_TRUE(caps->blank_at_bot);
  EXPECT_TRUE(caps->log_sense_capacity);
  ASSERT_TRUE(caps->capacity.has_value());
  EXPECT_EQ(caps->capacity->remaining_bytes, 150u << 20);
  EXPECT_TRUE(caps->prevent_allow);
  EXPECT_FALSE(caps->fixed_read_eod_medium_error);
  EXPECT_FALSE(caps->read_position_off_by_one_after_bop);
  EXPECT_EQ(caps->known_target, "");
  EXPECT_EQ(drive.erase_at(), (std::vector<uint64_t>{0}));  // only at BOT
  ExpectHarmless(drive);
}

TEST(ProbeTest, ConformingTapeWithDataIsNeverErased) {
  FakeDrive::Behaviour b;
  b.records = 3;
  FakeDrive drive(b);
  Ssc ssc(drive);
  auto caps = ProbeCapabilities(ssc);
  ASSERT_TRUE(caps.ok()) << caps.status().ToString();
  EXPECT_TRUE(caps->read_position_trusted);
  EXPECT_FALSE(caps->read_position_off_by_one_after_bop);
  EXPECT_FALSE(caps->blank_at_bot);
  EXPECT_TRUE(caps->erase);  // assumed
  EXPECT_FALSE(caps->erase_tested);
  EXPECT_TRUE(drive.erase_at().empty());
  ExpectHarmless(drive);
}

TEST(ProbeTest, OffByOneSeenByBehaviour) {
  FakeDrive::Behaviour b;
  b.records = 2;
  b.off_by_one = true;  // as istgt, under another name
  FakeDrive drive(b);
  Ssc ssc(drive);
  auto caps = ProbeCapabilities(ssc);
  ASSERT_TRUE(caps.ok());
  EXPECT_TRUE(caps->read_position_trusted);
  EXPECT_TRUE(caps->read_position_off_by_one_after_bop);
  EXPECT_FALSE(caps->space_eod_unverified);  // identity only
  ExpectHarmless(drive);
}

TEST(ProbeTest, PositionThatDoesNotMoveIsUntrusted) {
  FakeDrive::Behaviour b;
  b.records = 2;
  b.locate = false;
  b.position_unknown = true;  // tgtd's answer under another name
  FakeDrive tgtd_like(b);
  Ssc ssc(tgtd_like);
  auto caps = ProbeCapabilities(ssc);
  ASSERT_TRUE(caps.ok());
  EXPECT_TRUE(caps->read_position);
  EXPECT_FALSE(caps->read_position_trusted);
  EXPECT_FALSE(caps->locate);
  ExpectHarmless(tgtd_like);
}

TEST(ProbeTest, TgtdBlankTape) {
  FakeDrive::Behaviour b;
  b.vendor = "IET";
  b.product = "VIRTUAL-TAPE";
  b.revision = "0001";
  b.position_unknown = true;
  b.locate = false;
  b.erase = false;
  b.log_sense = false;
  b.fixed_eod_medium_error = true;
  b.unit_attentions = 1;  // tgtd: 29/00 on the first command of a session
  FakeDrive drive(b);
  Ssc ssc(drive);
  auto caps = ProbeCapabilities(ssc);
  ASSERT_TRUE(caps.ok()) << caps.status().ToString();
  EXPECT_EQ(caps->known_target, "tgtd");
  EXPECT_FALSE(caps->read_position_trusted);
  EXPECT_FALSE(caps->locate);
  EXPECT_FALSE(caps->erase);
  EXPECT_TRUE(caps->erase_tested);
  EXPECT_FALSE(caps->log_sense_capacity);
  EXPECT_TRUE(caps->blank_at_bot);
  EXPECT_TRUE(caps->fixed_read_eod_medium_error);
  EXPECT_TRUE(caps->space_back_filemark_overshoot);
  EXPECT_TRUE(caps->variable_read_exact_length_only);
  EXPECT_TRUE(caps->no_volume_overflow);
  EXPECT_TRUE(caps->retension_keeps_position);
  EXPECT_TRUE(caps->no_unit_attention_on_change);
  EXPECT_FALSE(caps->space_eod_unverified);
  EXPECT_FALSE(caps->load_after_unload_fails);
  ExpectHarmless(drive);
}

TEST(ProbeTest, FixedEodMediumErrorSeenWithoutIdentity) {
  FakeDrive::Behaviour b;
  b.fixed_eod_medium_error = true;
  FakeDrive drive(b);
  Ssc ssc(drive);
  auto caps = ProbeCapabilities(ssc);
  ASSERT_TRUE(caps.ok());
  EXPECT_TRUE(caps->fixed_read_eod_medium_error);
  EXPECT_TRUE(caps->blank_at_bot);
  EXPECT_EQ(caps->known_target, "");
  ExpectHarmless(drive);
}

TEST(ProbeTest, RealMediumErrorIsNotAQuirkAndNothingIsErased) {
  FakeDrive::Behaviour b;
  b.medium_error_at_bot = true;
  FakeDrive drive(b);
  Ssc ssc(drive);
  auto caps = ProbeCapabilities(ssc);
  ASSERT_TRUE(caps.ok());
  EXPECT_FALSE(caps->fixed_read_eod_medium_error);
  EXPECT_FALSE(caps->blank_at_bot);
  EXPECT_TRUE(drive.erase_at().empty());
  ExpectHarmless(drive);
}

TEST(ProbeTest, IstgtIdentity) {
  FakeDrive::Behaviour b;
  b.vendor = "QUANTUM";
  b.product = "DLT8000";
  b.revision = "C001";
  b.off_by_one = true;
  b.log_sense = false;
  FakeDrive drive(b);
  Ssc ssc(drive);
  auto caps = ProbeCapabilities(ssc);
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(caps->known_target, "istgt");
  EXPECT_TRUE(caps->space_eod_unverified);
  EXPECT_TRUE(caps->locate_onto_filemark_unsafe);
  EXPECT_TRUE(caps->read_position_off_by_one_after_bop);
  EXPECT_TRUE(caps->space_blocks_ignores_filemarks);
  EXPECT_TRUE(caps->space_back_past_bop_moves_forward);
  EXPECT_TRUE(caps->load_after_unload_fails);
  EXPECT_TRUE(caps->request_sense_stale);
  EXPECT_TRUE(caps->no_unit_attention_on_change);
  EXPECT_FALSE(caps->retension_keeps_position);
  EXPECT_TRUE(caps->read_position_trusted);
  EXPECT_TRUE(caps->locate);
  EXPECT_FALSE(caps->fixed_read_eod_medium_error);
}

TEST(ProbeTest, NotATape) {
  FakeDrive::Behaviour b;
  b.device_type = 0x00;
  FakeDrive drive(b);
  Ssc ssc(drive);
  auto caps = ProbeCapabilities(ssc);
  ASSERT_FALSE(caps.ok());
  EXPECT_EQ(caps.status().code(), ErrorCode::kNotTape);
  EXPECT_EQ(caps.status().message(), "not a tape drive: peripheral device type 0x00 (disk)");
  EXPECT_EQ(drive.opcodes(), (std::vector<uint8_t>{0x12}));
}

TEST(ProbeTest, NotReady) {
  FakeDrive::Behaviour b;
  b.not_ready = true;
  FakeDrive drive(b);
  Ssc ssc(drive);
  auto caps = ProbeCapabilities(ssc);
  ASSERT_FALSE(caps.ok());
  EXPECT_EQ(caps.status().message(), "Tape not ready on test unit ready");
}

TEST(ProbeTest, DescribeNamesQuirks) {
  Capabilities caps;
  caps.read_position = true;
  caps.space_eod_unverified = true;
  caps.known_target = "istgt";
  const std::string text = DescribeCapabilities(caps);
  EXPECT_NE(text.find("read position: yes (untrusted)"), std::string::npos) << text;
  EXPECT_NE(text.find("space_eod_unverified"), std::string::npos) << text;
  EXPECT_NE(text.find("known target: istgt"), std::string::npos) << text;
}

}  // namespace
}  // namespace tsfs
