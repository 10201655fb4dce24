// The ts streaming rules on vtape: packing and zero padding, reads that
// return what was asked, close after a partial read, deferred write errors,
// end of medium.
#include <gtest/gtest.h>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::kOpRewind;
using unit_testing::kOpSpace6;
using unit_testing::kOpWrite6;
using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;

TEST(TapeUnitStreamTest, PacksIntoBlocksAndZeroPadsTheLastOne) {
  VtapeUnit t("capacity=64M");
  const auto a = Pattern(1'000'000, 1);         // not a multiple of 512
  const auto b = Pattern(3 * 512, 2);           // exactly three blocks
  const auto c = Pattern(7, 3);                 // less than one block
  EXPECT_EQ(AppendFile(t.unit(), a, 4093), 0);  // odd-sized user records
  EXPECT_EQ(AppendFile(t.unit(), b), 1);
  EXPECT_EQ(AppendFile(t.unit(), c, 1), 2);
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 3u);
  EXPECT_EQ((*files)[0].blocks, 1954u);  // ceil(1000000 / 512)
  EXPECT_EQ((*files)[1].blocks, 3u);
  EXPECT_EQ((*files)[2].blocks, 1u);
  // On the image: fixed 512-byte records only.
  auto stats = t.vtape().Stats();
  EXPECT_EQ(stats.bytes_written, (1954u + 3u + 1u) * 512u);
  EXPECT_EQ(stats.records_written, 1954u + 3u + 1u);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), Padded(a));
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), b);
  EXPECT_EQ(ReadWholeFile(t.unit(), 2), Padded(c));
}

TEST(TapeUnitStreamTest, ConfiguredBlockSizeIsTheUnitOfPacking) {
  UnitConfig config;
  config.block_size = 1024;
  config.buffer_kb = 64;
  VtapeUnit t("capacity=16M", config);
  const auto a = Pattern(5000, 4);
  AppendFile(t.unit(), a);
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].blocks, 5u);  // ceil(5000 / 1024)
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), Padded(a, 1024));
}

TEST(TapeUnitStreamTest, ReadsReturnWhatWasAskedUntilEndOfFile) {
  UnitConfig config;
  config.buffer_kb = 16;  // several buffer refills per file
  VtapeUnit t("capacity=16M", config);
  const auto a = Pattern(100 * 1000, 5);
  AppendFile(t.unit(), a);
  AppendFile(t.unit(), Pattern(4096, 6));
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  ASSERT_TRUE(t->OpenRead(0).ok());
  const auto expect = Padded(a);
  std::vector<uint8_t> got;
  std::vector<uint8_t> buf(1000);
  for (;;) {
    auto n = t->Read(buf);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    if (*n == 0) break;
    got.insert(got.end(), buf.begin(), buf.begin() + static_cast<long>(*n));
    // Short only at the end of the file.
    if (got.size() < expect.size()) {
      EXPECT_EQ(*n, buf.size());
    }
  }
  EXPECT_EQ(got, expect);
  EXPECT_EQ(t->StreamOffset(), expect.size());
  // 0 again at the filemark, not the next file's data.
  auto again = t->Read(buf);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
  ASSERT_TRUE(t->Close().ok());
}

TEST(TapeUnitStreamTest, CloseAfterPartialReadSpacesToTheNextFile) {
  UnitConfig config;
  config.buffer_kb = 16;  // the reader cannot have reached the filemark yet
  VtapeUnit t("capacity=16M", config);
  const auto f0 = Pattern(200 * 1024, 7);
  const auto f1 = Pattern(3000, 8);
  AppendFile(t.unit(), f0);
  AppendFile(t.unit(), f1);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  ASSERT_TRUE(t->OpenRead(0).ok());
  std::vector<uint8_t> buf(100);
  auto n = t->Read(buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 100u);
  t.cdbs().Clear();
  ASSERT_TRUE(t->Close().ok());
  EXPECT_EQ(t.cdbs().Count(kOpSpace6), 1u);  // SPACE 1 filemark forward
  auto st = t->GetStatus();
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(st->file_number.has_value());
  EXPECT_EQ(*st->file_number, 1);
  EXPECT_EQ(*st->block_number, 0);
  EXPECT_EQ(t.vtape().Stats().position, 200u * 2 + 1);  // past file 0's filemark
  // The next file reads from where the close left the tape: no rewind.
  t.cdbs().Clear();
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Padded(f1));
  EXPECT_EQ(t.cdbs().Count(kOpRewind), 0u);
}

TEST(TapeUnitStreamTest, OpenReadIsLazy) {
  VtapeUnit t("capacity=16M");
  AppendFile(t.unit(), Pattern(2048, 9));
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  t.cdbs().Clear();
  ASSERT_TRUE(t->OpenRead(0).ok());
  EXPECT_TRUE(t.cdbs().Cdbs().empty());
  ASSERT_TRUE(t->Close().ok());
  EXPECT_TRUE(t.cdbs().Cdbs().empty());  // never read: nothing to space over
}

// A medium error injected at block N of a 20 MB write: reported once, by the
// next write or by close; the filemark still goes on; reading back gives
// exactly the data before the failing block.
TEST(TapeUnitStreamTest, DeferredWriteErrorReportedOnceOnNextWriteOrClose) {
  constexpr uint64_t kFailBlock = 20000;  // ~10 MB into the file
  VtapeUnit t("capacity=64M&fail=write@20000:medium");
  const auto data = Pattern(20 * 1000 * 1000, 10);
  auto index = t->OpenAppend();
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  int errors = 0;
  Status first;
  size_t accepted = 0;
  Status later;
  for (size_t off = 0; off < data.size(); off += 65536) {
    const size_t n = std::min<size_t>(65536, data.size() - off);
    Status s = t->Write({data.data() + off, n});
    if (!s.ok()) {
      if (++errors == 1) {
        first = s;
      } else if (later.ok()) {
        later = s;
      }
    } else {
      EXPECT_EQ(errors, 0) << "a write succeeded after the failure";
      accepted += n;
    }
  }
  Status closed = t->Close();
  if (errors == 0) {
    // The failure was still buffered: close reports it.
    first = closed;
  } else {
    EXPECT_TRUE(closed.ok()) << "reported twice: " << closed.ToString();
    EXPECT_NE(later.code(), ErrorCode::kOk);
    EXPECT_NE(later.message(), first.message());  // a follow-on error, not the same one again
  }
  ASSERT_FALSE(first.ok());
  ASSERT_NE(first.sense(), nullptr) << first.ToString();
  EXPECT_EQ(first.sense()->key, SenseKey::kMediumError);
  EXPECT_EQ(first.message(), "Media error on write");
  EXPECT_EQ(first.context(), "write");
  EXPECT_TRUE(t.log().Contains("error writing buffer to tape"));
  EXPECT_TRUE(t.log().Contains("Media error on write"));
  EXPECT_GT(accepted, kFailBlock * 512 - 2 * 1024 * 1024);  // the error came late, not early
  // The filemark was written after the error: the file is complete.
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_TRUE((*files)[0].complete);
  EXPECT_EQ((*files)[0].blocks, kFailBlock);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  const auto back = ReadWholeFile(t.unit(), 0, 1 << 20);
  ASSERT_EQ(back.size(), kFailBlock * 512);
  EXPECT_TRUE(std::equal(back.begin(), back.end(), data.begin()));
}

TEST(TapeUnitStreamTest, DeferredErrorOfTheLastBufferComesFromClose) {
  VtapeUnit t("capacity=16M&fail=write@10:medium");
  auto index = t->OpenAppend();
  ASSERT_TRUE(index.ok());
  const auto data = Pattern(20 * 512, 11);  // fits one buffer: sent only at close
  EXPECT_TRUE(t->Write(data).ok());
  Status closed = t->Close();
  ASSERT_FALSE(closed.ok());
  ASSERT_NE(closed.sense(), nullptr);
  EXPECT_EQ(closed.sense()->key, SenseKey::kMediumError);
  EXPECT_TRUE(t->Close().ok());  // idempotent; nothing reported twice
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].blocks, 10u);
  EXPECT_TRUE((*files)[0].complete);  // the filemark was still tried, and made it
}

TEST(TapeUnitStreamTest, FilemarkFailureOnCloseIsReportedAndLogged) {
  VtapeUnit t("capacity=16M&fail=wfm@0:hardware");
  ASSERT_TRUE(t->OpenAppend().ok());
  EXPECT_TRUE(t->Write(Pattern(4096, 12)).ok());
  Status closed = t->Close();
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.message(), "Hardware error on write file marks");
  EXPECT_TRUE(t.log().Contains("tsclose: error writing file mark on close"));
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_FALSE((*files)[0].complete);
  EXPECT_EQ((*files)[0].blocks, 8u);
}

TEST(TapeUnitStreamTest, EarlyWarningKeepsDataFailsTheNextWriteAndCloseWritesTheFilemark) {
  UnitConfig config;
  config.buffer_kb = 64;
  VtapeUnit t("capacity=4M&ew=1M", config);
  ASSERT_TRUE(t->OpenAppend().ok());
  const auto chunk = Pattern(64 * 1024, 13);
  std::vector<uint8_t> accepted;
  Status failed;
  for (int i = 0; i < 200; ++i) {
    Status s = t->Write(chunk);
    if (!s.ok()) {
      failed = s;
      break;
    }
    accepted.insert(accepted.end(), chunk.begin(), chunk.end());
  }
  ASSERT_FALSE(failed.ok()) << "no end of medium";
  EXPECT_EQ(failed.code(), ErrorCode::kNoSpace);
  EXPECT_NE(failed.message().find("early warning"), std::string::npos) << failed.ToString();
  EXPECT_GE(accepted.size(), 3u * 1024 * 1024 - 2 * 64 * 1024);
  EXPECT_EQ(t->Write(chunk).code(), ErrorCode::kNoSpace);  // and after it too
  EXPECT_TRUE(t->Close().ok());  // buffered data and the filemark still fit
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0, 1 << 20), accepted);
}

TEST(TapeUnitStreamTest, VolumeOverflowSaysHowManyBytesDidNotReachTheTape) {
  UnitConfig config;
  config.buffer_kb = 64;
  VtapeUnit t("capacity=16M&fail=write@1000:overflow", config);
  ASSERT_TRUE(t->OpenAppend().ok());
  const auto data = Pattern(4 * 1024 * 1024, 14);
  size_t accepted = 0;
  Status failed;
  for (size_t off = 0; off < data.size(); off += 10000) {
    const size_t n = std::min<size_t>(10000, data.size() - off);
    Status s = t->Write({data.data() + off, n});
    if (!s.ok()) {
      failed = s;
      break;
    }
    accepted += n;
  }
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.code(), ErrorCode::kNoSpace);
  // "... N bytes written earlier did not reach the tape ..."
  const std::string msg = failed.message();
  const size_t phrase = msg.find(" bytes written earlier did not reach");
  ASSERT_NE(phrase, std::string::npos) << msg;
  const size_t digits = msg.find_last_not_of("0123456789", phrase - 1) + 1;
  ASSERT_LT(digits, phrase) << msg;
  const uint64_t lost = std::stoull(msg.substr(digits, phrase - digits));
  EXPECT_EQ(lost, accepted - 1000u * 512);  // everything after block 1000
  EXPECT_EQ(t->Write(data).code(), ErrorCode::kNoSpace);
  (void)t->Close();
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  const auto back = ReadWholeFile(t.unit(), 0);
  ASSERT_EQ(back.size(), 1000u * 512);
  EXPECT_TRUE(std::equal(back.begin(), back.end(), data.begin()));
}

// Sync (fsync, every close) puts every byte on the tape, the last block
// padded; more data backs over that block, so the file has no zeros inside.
TEST(TapeUnitStreamTest, SyncInTheMiddleOfAFileLeavesNoPaddingInside) {
  VtapeUnit t("capacity=16M");
  ASSERT_TRUE(t->OpenAppend().ok());
  const auto a = Pattern(700, 15);
  const auto b = Pattern(324, 16);
  EXPECT_TRUE(t->Write(a).ok());
  EXPECT_TRUE(t->Sync().ok());
  EXPECT_EQ(t.vtape().Stats().bytes_written, 1024u);  // the tail too, padded
  EXPECT_TRUE(t->Write(b).ok());
  EXPECT_TRUE(t->Close().ok());
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  auto both = a;
  both.insert(both.end(), b.begin(), b.end());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), both);  // 1024 bytes, no padding in the middle
}

TEST(TapeUnitStreamTest, WritesStreamInLargeCommands) {
  UnitConfig config;
  config.buffer_kb = 256;
  VtapeUnit t("capacity=64M", config);
  AppendFile(t.unit(), Pattern(4 * 1024 * 1024, 17), 4096);
  size_t writes = 0;
  for (const auto& c : t.cdbs().Cdbs()) {
    if (c[0] != kOpWrite6) continue;
    ++writes;
    const uint32_t blocks = (c[2] << 16) | (c[3] << 8) | c[4];
    EXPECT_EQ(blocks, 512u);  // one buffer of 256 KiB per WRITE
  }
  EXPECT_EQ(writes, 16u);
}

}  // namespace
}  // namespace tsfs
