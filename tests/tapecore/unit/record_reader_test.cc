// ReadNextRecord on vtape: the record's length found from ILI, a record
// measured without its data, and the read-again of tgtd's rule failing
// when the SPACE back over the record fails.
#include "tapecore/unit/record_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "tapecore/vtape/vtape_transport.h"
#include "tests/support/temp_dir.h"
#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::Pattern;

// A vtape with these variable records and a filemark, at BOT, with `faults`.
class RecordTape {
 public:
  RecordTape(const std::vector<size_t>& lengths, const std::string& faults) {
    auto dir = testing::TempDir::Create("record_reader");
    EXPECT_TRUE(dir.ok());
    dir_ = std::move(dir).value();
    const std::string image = dir_.File("r.tap");
    {
      auto t = VtapeTransport::Open("vtape:" + image + "?create");
      EXPECT_TRUE(t.ok()) << t.status().ToString();
      Ssc ssc(**t);
      (void)ssc.TestUnitReady();
      EXPECT_TRUE(ssc.ModeSelectBlockLength(0).ok());
      uint32_t seed = 5;
      for (size_t len : lengths) {
        records_.push_back(Pattern(len, seed++));
        EXPECT_TRUE(ssc.Write(records_.back(), 0).ok());
      }
      EXPECT_TRUE(ssc.WriteFilemarks(1).ok());
    }
    auto t = VtapeTransport::Open("vtape:" + image + (faults.empty() ? "" : "?" + faults));
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    transport_ = std::move(t).value();
    ssc_ = std::make_unique<Ssc>(*transport_);
    for (int i = 0; i < 4 && !ssc_->TestUnitReady().ok(); ++i) {
    }
    EXPECT_TRUE(ssc_->ModeSelectBlockLength(0).ok());
    EXPECT_TRUE(ssc_->Rewind().ok());
  }
  Ssc& ssc() { return *ssc_; }
  const std::vector<uint8_t>& record(size_t i) const { return records_[i]; }

 private:
  testing::TempDir dir_;
  std::vector<std::vector<uint8_t>> records_;
  std::unique_ptr<VtapeTransport> transport_;
  std::unique_ptr<Ssc> ssc_;
};

TEST(RecordReaderTest, ShorterRecordIsReadAgainExactlyWhenAsked) {
  RecordTape t({1000, 300}, "");
  std::vector<uint8_t> buf(4096);
  RecordReadOptions opts;
  opts.reread_mismatched = true;
  auto r = ReadNextRecord(t.ssc(), buf, 2048, opts);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->kind, NextRecord::Kind::kRecord);
  EXPECT_EQ(r->length, 1000u);
  EXPECT_TRUE(r->data_valid);
  EXPECT_TRUE(std::equal(t.record(0).begin(), t.record(0).end(), buf.begin()));
  r = ReadNextRecord(t.ssc(), buf, 300, opts);  // exact: no read again
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->length, 300u);
  r = ReadNextRecord(t.ssc(), buf, 300, opts);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, NextRecord::Kind::kFilemark);
}

// tgtd's rule on a drive whose SPACE back fails: the record cannot be read
// again, and the SPACE's error (sense and all) is the answer.
TEST(RecordReaderTest, FailingSpaceBackBeforeTheReadAgainIsTheError) {
  RecordTape t({1000, 300}, "fail=space@0:medium");
  std::vector<uint8_t> buf(4096);
  RecordReadOptions opts;
  opts.reread_mismatched = true;
  auto r = ReadNextRecord(t.ssc(), buf, 2048, opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kScsi) << r.status().ToString();
  ASSERT_NE(r.status().sense(), nullptr);
  EXPECT_TRUE(r.status().sense()->Is(SenseKey::kMediumError, 0x11, 0x00)) << r.status().ToString();
  EXPECT_NE(r.status().ToString().find("Media error on space"), std::string::npos)
      << r.status().ToString();
  // The rule fired once: the tape is past record 0, record 1 reads.
  auto next = ReadNextRecord(t.ssc(), buf, 4096, RecordReadOptions{});
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->length, 300u);
  EXPECT_TRUE(std::equal(t.record(1).begin(), t.record(1).end(), buf.begin()));
}

// need_data false (catalog scans): a record longer than asked is measured,
// not read again; the tape is past it.
TEST(RecordReaderTest, LongerRecordIsOnlyMeasuredWithoutNeedData) {
  RecordTape t({3000, 200}, "");
  std::vector<uint8_t> buf(4096);
  RecordReadOptions opts;
  opts.need_data = false;
  auto r = ReadNextRecord(t.ssc(), buf, 512, opts);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->length, 3000u);
  EXPECT_FALSE(r->data_valid);
  r = ReadNextRecord(t.ssc(), buf, 4096, opts);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->length, 200u);
  EXPECT_TRUE(std::equal(t.record(1).begin(), t.record(1).end(), buf.begin()));
}

}  // namespace
}  // namespace tsfs
