// Data phases that do not match the record over IscsiTransport, against real
// targets: what the sense and the iSCSI residual say, and what lands in the
// buffer.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tapecore/scsi/sense.h"
#include "tapecore/transport/iscsi_transport.h"
#include "tests/support/targets.h"
#include "tests/tapecore/transport/raw_scsi.h"

namespace tsfs {
namespace {

using testing::Exec;
using testing::TargetKind;
using testing::Variable6;

class IscsiResidueTest : public ::testing::TestWithParam<TargetKind> {
 protected:
  bool tgtd() const { return std::string(GetParam().name) == "tgtd"; }
};

// Variable-length records (both targets load at variable block length):
// three records of 1000 bytes and a filemark, read with 4096, 100 and 1000
// bytes asked. Each target answers a mismatch its own way (TARGETS.md); the
// transport hands on what it said, and the tape is past each record after
// each read.
TEST_P(IscsiResidueTest, VariableRecordLongerOrShorterThanAsked) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  auto opened = IscsiTransport::Open(target->uri());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  IscsiTransport& t = **opened;
  std::vector<uint8_t> record(1000);
  for (size_t i = 0; i < record.size(); ++i) record[i] = static_cast<uint8_t>(i * 13 + 5);
  for (int i = 0; i < 3; ++i) {
    auto w = Exec(t, Variable6(0x0A, 1000), DataBuffer::Out(record));
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_EQ(w->status, kScsiGood) << DescribeSense(w->sense);
  }
  ASSERT_TRUE(Exec(t, testing::kWriteOneFilemark).ok());
  ASSERT_TRUE(Exec(t, testing::kRewind).ok());

  // Asked for more: the record in front. tgtd: ILI with INFORMATION
  // 4096 - 1000 (its iSCSI residual says 1000, the bytes it sent); istgt:
  // GOOD, and only the iSCSI residual (an underflow of 3096) tells.
  std::vector<uint8_t> big(4096, 0xEE);
  auto r = Exec(t, Variable6(0x08, 4096), DataBuffer::In(big));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(std::equal(record.begin(), record.end(), big.begin()));
  if (tgtd()) {
    ASSERT_EQ(r->status, kScsiCheckCondition);
    SenseData s = ParseSense(r->sense);
    EXPECT_EQ(s.key, SenseKey::kNoSense) << DescribeSense(r->sense);
    EXPECT_TRUE(s.ili) << DescribeSense(r->sense);
    ASSERT_TRUE(s.information_valid) << DescribeSense(r->sense);
    EXPECT_EQ(s.information, 3096);
    EXPECT_EQ(r->transport_residual, 1000u);
  } else {
    EXPECT_EQ(r->status, kScsiGood) << DescribeSense(r->sense);
    EXPECT_EQ(r->transport_residual, 3096u);
  }

  // Asked for less. tgtd: ILI with INFORMATION 100 - 1000 and no data at
  // all (its residual: all 100); istgt: GOOD with the first 100 bytes, and
  // no residual (an overflow is not reported as one).
  std::vector<uint8_t> small(100, 0xEE);
  r = Exec(t, Variable6(0x08, 100), DataBuffer::In(small));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  if (tgtd()) {
    ASSERT_EQ(r->status, kScsiCheckCondition);
    SenseData s = ParseSense(r->sense);
    EXPECT_TRUE(s.ili) << DescribeSense(r->sense);
    ASSERT_TRUE(s.information_valid) << DescribeSense(r->sense);
    EXPECT_EQ(s.information, -900);
    EXPECT_EQ(r->transport_residual, 100u);
    EXPECT_EQ(small, std::vector<uint8_t>(100, 0xEE)) << "tgtd sent data after all";
  } else {
    EXPECT_EQ(r->status, kScsiGood) << DescribeSense(r->sense);
    EXPECT_EQ(r->transport_residual, 0u);
    EXPECT_TRUE(std::equal(small.begin(), small.end(), record.begin()));
  }

  // The third record, asked exactly; then the filemark.
  std::vector<uint8_t> exact(1000, 0xEE);
  r = Exec(t, Variable6(0x08, 1000), DataBuffer::In(exact));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, kScsiGood) << DescribeSense(r->sense);
  EXPECT_EQ(exact, record);
  r = Exec(t, Variable6(0x08, 1000), DataBuffer::In(exact));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, kScsiCheckCondition);
  EXPECT_TRUE(ParseSense(r->sense).filemark) << DescribeSense(r->sense);
}

INSTANTIATE_TEST_SUITE_P(Targets, IscsiResidueTest, testing::RealTargets(),
                         testing::TargetKindName);

}  // namespace
}  // namespace tsfs
