// The transfer clamp: Ssc::Read/Write on vtape behind a transport that takes
// at most LIMIT bytes a command (as a Linux sg device does) and refuses more
// the way the kernel does, so a command over the limit fails the test.
#include <gtest/gtest.h>

#include <memory>
#include <numeric>
#include <vector>

#include "tapecore/source/open_source.h"
#include "tapecore/ssc/cdb.h"
#include "tapecore/ssc/ssc.h"
#include "tests/support/temp_dir.h"

namespace tsfs {
namespace {

using B = std::vector<uint8_t>;

// A vtape with an artificial transfer limit; counts READ and WRITE commands.
class LimitedTransport final : public Transport {
 public:
  LimitedTransport(std::unique_ptr<Transport> inner, size_t limit)
      : inner_(std::move(inner)), limit_(limit) {}
  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data,
                               std::chrono::milliseconds timeout) override {
    if (data.length > limit_) {
      ++refused;
      return Status::Error(ErrorCode::kTransport, "SG_IO: Invalid argument (over the limit)");
    }
    if (cdb[0] == cdb::kRead6) ++reads;
    if (cdb[0] == cdb::kWrite6) ++writes;
    return inner_->Execute(cdb, data, timeout);
  }
  TransferLimit MaxTransfer() const override { return {limit_, "test limit"}; }
  std::string Describe() const override { return inner_->Describe(); }

  int reads = 0;
  int writes = 0;
  int refused = 0;

 private:
  std::unique_ptr<Transport> inner_;
  size_t limit_;
};

B Pattern(size_t n) {
  B b(n);
  std::iota(b.begin(), b.end(), uint8_t{7});
  return b;
}

class TransferLimitTest : public ::testing::Test {
 protected:
  void Open(size_t limit, const std::string& options = "capacity=10M") {
    auto d = testing::TempDir::Create("ssc-limit");
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    dir_ = std::move(d).value();
    auto t = OpenSource("vtape:" + dir_.File("t.tap") + "?create&" + options);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    limited_ = new LimitedTransport(std::move(t).value(), limit);
    transport_.reset(limited_);
    ssc_ = std::make_unique<Ssc>(*transport_);
  }
  void TearDown() override { EXPECT_EQ(limited_ ? limited_->refused : 0, 0); }

  testing::TempDir dir_;
  LimitedTransport* limited_ = nullptr;  // owned by transport_
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<Ssc> ssc_;
};

TEST_F(TransferLimitTest, UnlimitedTransportsSayUnlimited) {
  auto t = OpenSource("vtape:" + testing::TempDir::Create("ssc-limit")->File("t.tap") + "?create");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)->MaxTransfer().max_bytes, TransferLimit::kUnlimited);
  Ssc ssc(**t);
  EXPECT_EQ(ssc.MaxTransferBytes(), cdb::kMaxTransferLength6);
}

TEST_F(TransferLimitTest, FixedWriteAndReadAreSplitAndExact) {
  Open(2048 + 100);  // four 512-byte blocks a command
  ASSERT_TRUE(ssc_->ModeSelectBlockLength(512).ok());
  const B data = Pattern(10 * 512);
  auto w = ssc_->Write(data, 512);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->bytes, data.size());
  EXPECT_FALSE(w->early_warning);
  EXPECT_EQ(limited_->writes, 3);  // 4 + 4 + 2 blocks
  ASSERT_TRUE(ssc_->WriteFilemarks(1).ok());
  ASSERT_TRUE(ssc_->Rewind().ok());

  B back(10 * 512);
  auto r = ssc_->Read(back, 512);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->bytes, back.size());
  EXPECT_EQ(r->residue, 0);
  EXPECT_FALSE(r->filemark);
  EXPECT_EQ(back, data);
  EXPECT_EQ(limited_->reads, 3);
}

TEST_F(TransferLimitTest, SplitReadStopsAtTheFilemarkWithTheWholeResidue) {
  Open(1024);  // two blocks a command
  ASSERT_TRUE(ssc_->ModeSelectBlockLength(512).ok());
  const B data = Pattern(5 * 512);
  ASSERT_TRUE(ssc_->Write(data, 512).ok());
  ASSERT_TRUE(ssc_->WriteFilemarks(1).ok());
  ASSERT_TRUE(ssc_->Write(Pattern(512), 512).ok());
  ASSERT_TRUE(ssc_->Rewind().ok());
  limited_->reads = 0;

  B back(10 * 512, 0xEE);
  auto r = ssc_->Read(back, 512);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->bytes, 5u * 512);
  EXPECT_TRUE(r->filemark);
  EXPECT_EQ(r->residue, 5);       // blocks of the whole request not read
  EXPECT_EQ(limited_->reads, 3);  // 2 + 2 + (1, filemark): none after it
  EXPECT_TRUE(std::equal(data.begin(), data.end(), back.begin()));
  // The tape is past the filemark: the next file's block comes next.
  B next(512);
  auto n = ssc_->Read(next, 512);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->bytes, 512u);
  EXPECT_EQ(next, Pattern(512));
}

TEST_F(TransferLimitTest, SplitReadAtEndOfData) {
  Open(1024);
  ASSERT_TRUE(ssc_->ModeSelectBlockLength(512).ok());
  ASSERT_TRUE(ssc_->Write(Pattern(3 * 512), 512).ok());
  ASSERT_TRUE(ssc_->Rewind().ok());
  B back(8 * 512);
  auto r = ssc_->Read(back, 512);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->bytes, 3u * 512);
  EXPECT_TRUE(r->end_of_data);
  EXPECT_EQ(r->residue, 5);
}

TEST_F(TransferLimitTest, SplitWriteKeepsGoingPastEarlyWarning) {
  Open(4096, "capacity=100K&ew=90K");  // early warning after 10 KiB of data
  ASSERT_TRUE(ssc_->ModeSelectBlockLength(512).ok());
  auto w = ssc_->Write(Pattern(16 * 1024), 512);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->bytes, 16u * 1024);
  EXPECT_TRUE(w->early_warning);
  EXPECT_EQ(limited_->writes, 4);
}

TEST_F(TransferLimitTest, ErrorAfterSomeCommandsCountsTheWholeRequest) {
  Open(2048, "capacity=10M&fail=write@6:medium");  // four blocks a command
  ASSERT_TRUE(ssc_->ModeSelectBlockLength(512).ok());
  auto w = ssc_->Write(Pattern(10 * 512), 512);
  ASSERT_FALSE(w.ok());
  ASSERT_TRUE(w.status().residue().has_value()) << w.status().ToString();
  // Blocks 0..5 reached the tape: 10 - residue.
  EXPECT_EQ(*w.status().residue(), 4) << w.status().ToString();
  EXPECT_EQ(limited_->writes, 2);
}

TEST_F(TransferLimitTest, VariableRecordLargerThanTheLimitIsAClearError) {
  Open(4096);
  auto w = ssc_->Write(Pattern(6000), 0);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(w.status().message().find("6000"), std::string::npos) << w.status().message();
  EXPECT_NE(w.status().message().find("4096"), std::string::npos) << w.status().message();
  EXPECT_NE(w.status().message().find("test limit"), std::string::npos) << w.status().message();
  EXPECT_EQ(limited_->writes, 0);
}

TEST_F(TransferLimitTest, VariableReadAsksForNoMoreThanTheLimit) {
  // Records written without the limit (another program), read back with it.
  auto d = testing::TempDir::Create("ssc-limit");
  ASSERT_TRUE(d.ok());
  const std::string image = d->File("v.tap");
  {
    auto t = OpenSource("vtape:" + image + "?create");
    ASSERT_TRUE(t.ok());
    Ssc plain(**t);
    ASSERT_TRUE(plain.Write(Pattern(1000), 0).ok());
    ASSERT_TRUE(plain.Write(Pattern(6000), 0).ok());
    ASSERT_TRUE(plain.WriteFilemarks(1).ok());
  }
  auto t = OpenSource("vtape:" + image);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  limited_ = new LimitedTransport(std::move(t).value(), 4096);
  transport_.reset(limited_);
  Ssc ssc(*transport_);

  B buf(65536);
  auto r = ssc.Read(buf, 0, /*sili=*/true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->bytes, 1000u);
  EXPECT_EQ(r->residue, 65536 - 1000);  // against the caller's buffer
  EXPECT_TRUE(std::equal(buf.begin(), buf.begin() + 1000, Pattern(1000).begin()));

  auto big = ssc.Read(buf, 0, /*sili=*/true);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(big.status().message().find("a record of 6000 bytes"), std::string::npos)
      << big.status().message();
}

TEST_F(TransferLimitTest, ReadBlockLimitsBoundsVariableRecords) {
  Open(1 << 20);
  EXPECT_EQ(ssc_->MaxRecordBytes(), 1u << 20);
  auto limits = ssc_->ReadBlockLimits();
  ASSERT_TRUE(limits.ok()) << limits.status().ToString();
  EXPECT_EQ(ssc_->MaxRecordBytes(), std::min<size_t>(1u << 20, limits->max_block_length));
  EXPECT_NE(ssc_->TransferLimitSource().find("test limit"), std::string::npos);
  EXPECT_NE(ssc_->TransferLimitSource().find("READ BLOCK LIMITS"), std::string::npos);
}

TEST_F(TransferLimitTest, ABlockLargerThanTheLimitIsRefusedBeforeSending) {
  Open(1000);
  ASSERT_TRUE(ssc_->ModeSelectBlockLength(1024).ok());
  auto w = ssc_->Write(Pattern(2048), 1024);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(limited_->writes, 0);
}

}  // namespace
}  // namespace tsfs
