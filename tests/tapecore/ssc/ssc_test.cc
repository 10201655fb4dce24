// Ssc result mapping on canned answers: a scripted Transport returns given
// status, sense and data bytes (the sense cases of SSC-3 and TARGETS.md), so
// these test the mapping, not a target. Real targets: the transport tests.
#include "tapecore/ssc/ssc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <vector>

namespace tsfs {
namespace {

using B = std::vector<uint8_t>;

// Answers each Execute with the next scripted step and records what was sent.
class ScriptedTransport final : public Transport {
 public:
  struct Step {
    ScsiResponse response;
    B data_in;  // copied into a data-in buffer
    bool no_answer = false;
  };
  struct Call {
    B cdb;
    DataDirection direction;
    size_t length;
    B data_out;
  };

  void Answer(uint8_t status, B sense = {}, B data_in = {}, size_t residual = 0) {
    Step s;
    s.response.status = status;
    s.response.sense = std::move(sense);
    s.response.transport_residual = residual;
    s.data_in = std::move(data_in);
    steps_.push_back(std::move(s));
  }
  void Good(B data_in = {}) { Answer(kScsiGood, {}, std::move(data_in)); }
  void Check(B sense) { Answer(kScsiCheckCondition, std::move(sense)); }
  void NoAnswer() {
    Step s;
    s.no_answer = true;
    steps_.push_back(std::move(s));
  }

  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data, std::chrono::milliseconds) override {
    Call call{B(cdb.begin(), cdb.end()), data.direction, data.length, {}};
    if (data.direction == DataDirection::kOut)
      call.data_out.assign(data.data, data.data + data.length);
    calls_.push_back(call);
    if (steps_.empty()) return Status::Error(ErrorCode::kIo, "script exhausted");
    Step s = std::move(steps_.front());
    steps_.pop_front();
    if (s.no_answer) return Status::Error(ErrorCode::kTransport, "connection lost");
    if (data.direction == DataDirection::kIn) {
      std::copy_n(s.data_in.begin(), std::min(s.data_in.size(), data.length), data.data);
    }
    return s.response;
  }
  std::string Describe() const override { return "scripted"; }

  const std::vector<Call>& calls() const { return calls_; }

 private:
  std::deque<Step> steps_;
  std::vector<Call> calls_;
};

// Fixed-format sense: response 0x70 (0xF0 with VALID), byte 2 flags|key,
// INFORMATION bytes 3-6, ASC/ASCQ bytes 12-13.
B FixedSense(uint8_t flags_key, uint8_t asc, uint8_t ascq, int32_t info = 0, bool valid = false) {
  const auto u = static_cast<uint32_t>(info);
  return B{static_cast<uint8_t>(valid ? 0xF0 : 0x70),
           0x00,
           flags_key,
           static_cast<uint8_t>(u >> 24),
           static_cast<uint8_t>(u >> 16),
           static_cast<uint8_t>(u >> 8),
           static_cast<uint8_t>(u),
           0x0A,
           0,
           0,
           0,
           0,
           asc,
           ascq,
           0,
           0,
           0,
           0};
}
constexpr uint8_t kFm = 0x80, kEom = 0x40, kIli = 0x20;

class SscTest : public ::testing::Test {
 protected:
  ScriptedTransport t_;
  Ssc ssc_{t_};
};

TEST_F(SscTest, InquiryAndTapeCheck) {
  B d(36, ' ');
  d[0] = 0x01;
  d[4] = 31;
  std::copy_n("IET     VIRTUAL-TAPE    0001", 28, d.begin() + 8);
  t_.Good(d);
  auto r = ssc_.Inquiry();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->vendor, "IET");
  EXPECT_EQ(r->product, "VIRTUAL-TAPE");
  EXPECT_EQ(r->revision, "0001");
  EXPECT_TRUE(CheckTapeDevice(*r).ok());
  EXPECT_EQ(t_.calls()[0].cdb, (B{0x12, 0, 0, 0, 96, 0}));
  EXPECT_EQ(t_.calls()[0].length, 96u);

  InquiryData disk;
  disk.device_type = 0x00;
  const Status s = CheckTapeDevice(disk);
  EXPECT_EQ(s.code(), ErrorCode::kNotTape);
  EXPECT_EQ(s.message(), "not a tape drive: peripheral device type 0x00 (disk)");
}

TEST_F(SscTest, UnitSerialNumberOptional) {
  t_.Good(B{0x01, 0x80, 0x00, 0x06, 'T', 'S', '0', '0', '0', '1'});
  EXPECT_EQ(*ssc_.UnitSerialNumber(), "TS0001");
  t_.Check(FixedSense(0x05, 0x24, 0x00));
  auto r = ssc_.UnitSerialNumber();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "");
}

TEST_F(SscTest, ReadFixedIntoFilemarkTrustsInformation) {
  // tgtd: FILEMARK + INFORMATION 3 of 8 blocks not read; transport residual 0.
  t_.Answer(kScsiCheckCondition, FixedSense(kFm, 0x00, 0x01, 3, true), {}, 0);
  B buf(8 * 512);
  auto r = ssc_.Read(buf, 512);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->bytes, 5u * 512);
  EXPECT_TRUE(r->filemark);
  EXPECT_FALSE(r->end_of_data);
  EXPECT_EQ(r->residue, 3);
  EXPECT_EQ(t_.calls()[0].cdb, (B{0x08, 0x01, 0x00, 0x00, 0x08, 0x00}));
}

TEST_F(SscTest, ReadBlankCheckEndOfData) {
  // istgt: BLANK CHECK 00/05, 2 good blocks of 8 transferred.
  t_.Check(FixedSense(0x08, 0x00, 0x05, 6, true));
  B buf(8 * 512);
  auto r = ssc_.Read(buf, 512);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->end_of_data);
  EXPECT_EQ(r->bytes, 2u * 512);
  EXPECT_EQ(r->residue, 6);
}

TEST_F(SscTest, ReadVariableBlankCheckTgtd) {
  // tgtd: variable read at end of data answers BLANK CHECK + EOM, 00/00.
  t_.Check(FixedSense(kEom | 0x08, 0x00, 0x00, 10240, true));
  B buf(10240);
  auto r = ssc_.Read(buf, 0);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->end_of_data);
  EXPECT_EQ(r->bytes, 0u);
}

TEST_F(SscTest, ReadVariableIliShortRecord) {
  t_.Check(FixedSense(kIli, 0x00, 0x00, 10240 - 512, true));
  B buf(10240);
  auto r = ssc_.Read(buf, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ili);
  EXPECT_EQ(r->bytes, 512u);
  EXPECT_EQ(r->residue, 10240 - 512);
  EXPECT_EQ(t_.calls()[0].cdb, (B{0x08, 0x00, 0x00, 0x28, 0x00, 0x00}));
}

TEST_F(SscTest, ReadVariableIliNegativeResidue) {
  // A 1024-byte record read with a 1000-byte request: INFORMATION -24.
  t_.Check(FixedSense(kIli, 0x00, 0x00, -24, true));
  B buf(1000);
  auto r = ssc_.Read(buf, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ili);
  EXPECT_EQ(r->bytes, 1000u);
  EXPECT_EQ(r->residue, -24);
}

TEST_F(SscTest, ReadFixedIliCountsWholeBlocks) {
  // Fixed mode, a record of another length in block 3: 5 of 8 not read.
  t_.Check(FixedSense(kIli, 0x00, 0x00, 5, true));
  B buf(8 * 512);
  auto r = ssc_.Read(buf, 512);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ili);
  EXPECT_EQ(r->bytes, 3u * 512);
}

TEST_F(SscTest, ReadDescriptorSenseFilemark) {
  // Descriptor format: information descriptor (INFORMATION 2) and stream
  // commands descriptor with FILEMARK.
  t_.Check(B{0x72, 0x00, 0x00, 0x01, 0, 0, 0, 0x10,                 //
             0x00, 0x0A, 0x80, 0x00, 0, 0, 0, 0,    0, 0, 0, 0x02,  //
             0x04, 0x02, 0x00, 0x80});
  B buf(4 * 512);
  auto r = ssc_.Read(buf, 512);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->filemark);
  EXPECT_EQ(r->bytes, 2u * 512);
  EXPECT_EQ(r->residue, 2);
}

TEST_F(SscTest, ReadGoodFixedIgnoresResidual) {
  t_.Answer(kScsiGood, {}, {}, 1024);  // fixed mode: GOOD means every block
  B buf(4 * 512);
  auto r = ssc_.Read(buf, 512);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bytes, 4u * 512);
}

TEST_F(SscTest, ReadGoodVariableShortRecordUsesResidual) {
  // istgt: a 1000-byte record read with 4096 answers GOOD, residual 3096.
  t_.Answer(kScsiGood, {}, {}, 3096);
  B buf(4096);
  auto r = ssc_.Read(buf, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bytes, 1000u);
  EXPECT_EQ(r->residue, 3096);
  EXPECT_FALSE(r->ili);
}

TEST_F(SscTest, ReadFilemarkIgnoresResidual) {
  // tgtd: FILEMARK with INFORMATION 3 and a transport residual of 0.
  t_.Answer(kScsiCheckCondition, FixedSense(kFm, 0x00, 0x01, 3, true), {}, 0);
  B buf(4 * 512);
  EXPECT_EQ(ssc_.Read(buf, 512)->bytes, 512u);
}

TEST_F(SscTest, ReadEarlyWarningWithoutInformationCompleted) {
  t_.Check(FixedSense(kEom, 0x00, 0x02));
  B buf(2 * 512);
  auto r = ssc_.Read(buf, 512);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->eom);
  EXPECT_EQ(r->bytes, 2u * 512);
  // A filemark without INFORMATION: nothing can be trusted.
  t_.Check(FixedSense(kFm, 0x00, 0x01));
  auto f = ssc_.Read(buf, 512);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->filemark);
  EXPECT_EQ(f->bytes, 0u);
}

TEST_F(SscTest, ReadMediumErrorIsFailure) {
  // tgtd: fixed read at end of data answers MEDIUM ERROR 31/00.
  t_.Check(FixedSense(0x03, 0x31, 0x00));
  B buf(512);
  auto r = ssc_.Read(buf, 512);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kScsi);
  EXPECT_EQ(r.status().message(), "Media error on read");
  EXPECT_EQ(r.status().context(), "read");
  ASSERT_NE(r.status().sense(), nullptr);
  EXPECT_EQ(r.status().sense()->asc, 0x31);
  EXPECT_EQ(r.status().cdb(), (B{0x08, 0x01, 0, 0, 1, 0}));
}

TEST_F(SscTest, CheckConditionWithoutSense) {
  t_.Check({});  // istgt after LOCATE onto a filemark
  B buf(512);
  auto r = ssc_.Read(buf, 512);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kScsi);
  EXPECT_EQ(r.status().message().rfind("Unknown error on read", 0), 0u);
}

TEST_F(SscTest, ReadArgumentChecks) {
  B buf(700);
  EXPECT_EQ(ssc_.Read(buf, 512).status().code(), ErrorCode::kInvalidArgument);
  B empty;
  EXPECT_EQ(ssc_.Read(empty, 512)->bytes, 0u);
  EXPECT_TRUE(t_.calls().empty());
}

TEST_F(SscTest, WriteGoodFixed) {
  t_.Good();
  B data(3 * 512, 0x5A);
  auto r = ssc_.Write(data, 512);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bytes, 3u * 512);
  EXPECT_FALSE(r->early_warning);
  EXPECT_EQ(t_.calls()[0].cdb, (B{0x0A, 0x01, 0, 0, 3, 0}));
  EXPECT_EQ(t_.calls()[0].direction, DataDirection::kOut);
  EXPECT_EQ(t_.calls()[0].data_out, data);
}

TEST_F(SscTest, WriteEarlyWarning) {
  // tgtd past the image size: NO SENSE + EOM, data written.
  t_.Check(FixedSense(kEom, 0x00, 0x02));
  B data(2 * 512);
  auto r = ssc_.Write(data, 512);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->early_warning);
  EXPECT_EQ(r->bytes, 2u * 512);
}

TEST_F(SscTest, WriteVolumeOverflow) {
  // istgt full: VOLUME OVERFLOW 00/02 with EOM, nothing written.
  t_.Check(FixedSense(kEom | 0x0D, 0x00, 0x02, 2, true));
  B data(2 * 512);
  auto r = ssc_.Write(data, 512);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNoSpace);
  EXPECT_EQ(r.status().message(), "Volume overflow on write");
  EXPECT_EQ(r.status().residue(), 2);
}

TEST_F(SscTest, WriteEomWithErrorKeyIsNoSpace) {
  t_.Check(FixedSense(kEom | 0x03, 0x00, 0x02, 1, true));
  B data(512);
  auto r = ssc_.Write(data, 512);
  EXPECT_EQ(r.status().code(), ErrorCode::kNoSpace);
  EXPECT_EQ(r.status().message(), "Media error on write");
}

TEST_F(SscTest, WriteDataProtect) {
  t_.Check(FixedSense(0x07, 0x27, 0x00));
  B data(512);
  auto r = ssc_.Write(data, 512);
  EXPECT_EQ(r.status().code(), ErrorCode::kReadOnly);
  EXPECT_EQ(r.status().message(), "Media is protected on write");
  t_.Check(FixedSense(0x07, 0x27, 0x00));
  const Status s = ssc_.WriteFilemarks(1);
  EXPECT_EQ(s.code(), ErrorCode::kReadOnly);
  EXPECT_EQ(s.message(), "Media is protected on write file marks");
}

TEST_F(SscTest, WriteFilemarksOverflowAndCdb) {
  t_.Good();
  EXPECT_TRUE(ssc_.WriteFilemarks(2, true).ok());
  EXPECT_EQ(t_.calls()[0].cdb, (B{0x10, 0x01, 0, 0, 2, 0}));
  t_.Check(FixedSense(kEom | 0x0D, 0x00, 0x02, 1, true));
  EXPECT_EQ(ssc_.WriteFilemarks(1).code(), ErrorCode::kNoSpace);
}

TEST_F(SscTest, SpaceTgtdNoSenseEndOfData) {
  // tgtd: SPACE filemarks past end of data, NO SENSE 00/05, no residue.
  t_.Check(FixedSense(0x00, 0x00, 0x05));
  auto r = ssc_.Space(SpaceCode::kFilemarks, 1);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->end_of_data);
  EXPECT_EQ(r->residue, 0);
}

TEST_F(SscTest, SpaceBlankCheckWithResidue) {
  t_.Check(FixedSense(0x08, 0x00, 0x05, 2, true));
  auto r = ssc_.Space(SpaceCode::kFilemarks, 3);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->end_of_data);
  EXPECT_EQ(r->residue, 2);
}

TEST_F(SscTest, SpaceBlocksStopsAtFilemark) {
  t_.Check(FixedSense(kFm, 0x00, 0x01, 4, true));
  auto r = ssc_.Space(SpaceCode::kBlocks, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->filemark);
  EXPECT_EQ(r->residue, 4);
}

TEST_F(SscTest, SpaceBackwardIntoBop) {
  t_.Check(FixedSense(kEom, 0x00, 0x04, 1, true));
  auto r = ssc_.Space(SpaceCode::kFilemarks, -2);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->bop);
  EXPECT_EQ(r->residue, 1);
  EXPECT_EQ(t_.calls()[0].cdb, (B{0x11, 0x01, 0xFF, 0xFF, 0xFE, 0x00}));
}

TEST_F(SscTest, SpaceEndOfDataGood) {
  t_.Good();
  auto r = ssc_.Space(SpaceCode::kEndOfData, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->end_of_data);
  EXPECT_EQ(t_.calls()[0].cdb, (B{0x11, 0x03, 0, 0, 0, 0}));
}

TEST_F(SscTest, SpaceHardwareErrorIsFailure) {
  // istgt: SPACE blocks past end of data, HARDWARE ERROR 44/00.
  t_.Check(FixedSense(0x04, 0x44, 0x00));
  auto r = ssc_.Space(SpaceCode::kBlocks, 5);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "Hardware error on space");
  EXPECT_EQ(ssc_.Space(SpaceCode::kBlocks, 1 << 23).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(SscTest, TransportFailureIsTransport) {
  t_.NoAnswer();
  const Status s = ssc_.Rewind();
  EXPECT_EQ(s.code(), ErrorCode::kTransport);
  EXPECT_EQ(s.context(), "rewind");
}

TEST_F(SscTest, IllegalRequestOnErase) {
  // tgtd: ERASE is not supported, ILLEGAL REQUEST 20/00.
  t_.Check(FixedSense(0x05, 0x20, 0x00));
  const Status s = ssc_.Erase(true);
  EXPECT_EQ(s.code(), ErrorCode::kScsi);
  EXPECT_EQ(s.message(), "Illegal request on erase");
  EXPECT_EQ(t_.calls()[0].cdb, (B{0x19, 0x01, 0, 0, 0, 0}));
}

TEST_F(SscTest, RetensionWords) {
  t_.Check(FixedSense(0x02, 0x3A, 0x00));
  const Status s = ssc_.LoadUnload(true, true);
  EXPECT_EQ(s.message(), "Tape not ready on retension");
  t_.Check(FixedSense(0x02, 0x04, 0x01));
  EXPECT_EQ(ssc_.TestUnitReady().message(), "Tape not ready on test unit ready");
}

TEST_F(SscTest, RecoveredErrorCompletes) {
  t_.Check(FixedSense(0x01, 0x17, 0x00));
  EXPECT_TRUE(ssc_.Rewind().ok());
}

TEST_F(SscTest, ReadPositionAlwaysWithBuffer) {
  B d(20, 0);
  d[0] = 0x80;
  d[7] = 4;
  t_.Good(d);
  auto r = ssc_.ReadPosition();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->bop);
  EXPECT_EQ(r->block, 4u);
  EXPECT_EQ(t_.calls()[0].direction, DataDirection::kIn);
  EXPECT_EQ(t_.calls()[0].length, 20u);
  B l(32, 0);
  l[15] = 9;
  l[23] = 2;
  t_.Good(l);
  auto rl = ssc_.ReadPosition(true);
  ASSERT_TRUE(rl.ok());
  EXPECT_EQ(rl->block, 9u);
  EXPECT_EQ(rl->file_number, 2u);
  EXPECT_EQ(t_.calls()[1].length, 32u);
  EXPECT_EQ(t_.calls()[1].cdb[1], 0x06);
}

TEST_F(SscTest, ModeSelectSendsBlockDescriptorOnly) {
  t_.Good();
  EXPECT_TRUE(ssc_.ModeSelectBlockLength(512).ok());
  EXPECT_EQ(t_.calls()[0].cdb, (B{0x15, 0x10, 0, 0, 12, 0}));
  EXPECT_EQ(t_.calls()[0].data_out, (B{0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0x02, 0}));
}

TEST_F(SscTest, ModeSenseAndBlockLimits) {
  t_.Good(B{0x0B, 0x00, 0x90, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00});
  auto m = ssc_.ModeSense();
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->write_protect);
  EXPECT_EQ(m->block_length, 512u);
  t_.Good(B{0x00, 0x04, 0x00, 0x00, 0x00, 0x01});
  auto b = ssc_.ReadBlockLimits();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->max_block_length, 0x40000u);
}

TEST_F(SscTest, LogSenseCapacityAndLocate) {
  t_.Good(B{0x31, 0x00, 0x00, 0x10, 0x00, 0x01, 0x40, 0x04, 0, 0,
            0,    10,   0x00, 0x03, 0x40, 0x04, 0,    0,    0, 20});
  auto c = ssc_.LogSenseCapacity();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->remaining_bytes, 10u << 20);
  EXPECT_EQ(c->maximum_bytes, 20u << 20);
  t_.Check(FixedSense(0x05, 0x20, 0x00));
  EXPECT_EQ(ssc_.Locate(7).message(), "Illegal request on locate");
  EXPECT_EQ(t_.calls()[1].cdb, (B{0x2B, 0, 0, 0, 0, 0, 7, 0, 0, 0}));
}

TEST_F(SscTest, RequestSense) {
  B d = FixedSense(0x02, 0x3A, 0x00);
  t_.Good(d);
  auto s = ssc_.RequestSense();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->key, SenseKey::kNotReady);
  EXPECT_EQ(s->asc, 0x3A);
}

}  // namespace
}  // namespace tsfs
