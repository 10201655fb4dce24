#include "tapecore/status.h"

#include <gtest/gtest.h>

#include "tapecore/scsi/sense.h"
#include "tapecore/transport/transport.h"

namespace tsfs {
namespace {

TEST(StatusTest, OkIsCheapAndEmpty) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kOk);
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_EQ(s.sense(), nullptr);
}

TEST(StatusTest, ScsiStatusKeepsSenseAndResidue) {
  // Fixed sense: MEDIUM ERROR, INFORMATION = 3, valid bit set, ASC/ASCQ 11/00.
  const uint8_t raw[] = {0xF0, 0, 0x03, 0, 0, 0, 3, 10, 0, 0, 0, 0, 0x11, 0x00, 0, 0, 0, 0};
  Status s = Status::Scsi("write", "Media error on write", kScsiCheckCondition, ParseSense(raw),
                          {0x0A, 0, 0, 0, 8, 0});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kScsi);
  ASSERT_NE(s.sense(), nullptr);
  EXPECT_EQ(s.sense()->key, SenseKey::kMediumError);
  EXPECT_EQ(s.residue(), 3);
  EXPECT_EQ(s.context(), "write");
  EXPECT_NE(s.ToString().find("Media error on write"), std::string::npos);
  Status c = s.WithContext("rts0");
  EXPECT_EQ(c.context(), "rts0: write");
  EXPECT_EQ(s.context(), "write");  // the original is unchanged
}

TEST(StatusTest, ResultCarriesValueOrStatus) {
  Result<int> good = 42;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  Result<int> bad = Status::Error(ErrorCode::kBusy, "drive busy");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kBusy);
  Result<int> from_ok = Status::Ok();  // a programming error, never a silent success
  EXPECT_FALSE(from_ok.ok());
}

}  // namespace
}  // namespace tsfs
