// Reading tapes written elsewhere when a record cannot be read: SIMH images
// made here with bad records (class 8: vtape answers MEDIUM ERROR 11/00 at
// exactly that record) and with records the unit cannot take. Each read
// gives the bytes before the failure, then the error with its ts words; the
// files after it still read. And an append to a tape cut mid-file.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/tapecore/unit/unit_test_util.h"
#include "tests/tapecore/vtape/vtape_test_util.h"

namespace tsfs {
namespace {

using unit_testing::ExpectCommandFailed;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;

struct Rec {
  size_t length;
  bool bad = false;  // SIMH class 8: a record the drive could not read
};

// Replaces the unit's image with these files (a filemark after each) and
// opens a unit on it; returns the bytes of each file's good records.
std::vector<std::vector<uint8_t>> LoadImage(VtapeUnit& t,
                                            const std::vector<std::vector<Rec>>& files,
                                            std::optional<UnitConfig> config = std::nullopt,
                                            const std::string& options = "",
                                            bool last_filemark = true) {
  t.Drop();
  vtape::testing::TapBytes tap;
  std::vector<std::vector<uint8_t>> out;
  uint32_t seed = 1;
  for (const auto& file : files) {
    std::vector<uint8_t> good;
    for (const Rec& r : file) {
      const std::vector<uint8_t> data = Pattern(r.length, seed++);
      tap.Record(data, r.bad ? 0x8 : 0x0);
      if (!r.bad) good.insert(good.end(), data.begin(), data.end());
    }
    if (last_filemark || out.size() + 1 < files.size()) tap.Mark();
    out.push_back(std::move(good));
  }
  tap.WriteTo(t.image());
  t.Reopen(options, config);
  return out;
}

std::vector<uint8_t> Head(const std::vector<uint8_t>& v, size_t n) {
  return {v.begin(), v.begin() + static_cast<long>(n)};
}

TEST(VariableReadFailuresTest, BadRecordGivesTheRecordsBeforeItThenAMediaError) {
  VtapeUnit t;
  const auto files =
      LoadImage(t, {{{1000}, {1000}, {1000}, {1000, true}, {1000}, {457}}, {{10240}, {10240}}});
  Status error;
  EXPECT_EQ(ReadWholeFile(t.unit(), 0, 65536, &error), Head(files[0], 3000));
  ExpectCommandFailed(error, t.log(), SenseKey::kMediumError, 0x11, 0x00, "Media error on read");
  // Close spaced on to file 1, which reads whole.
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), files[1]);
}

// In a file of unit-sized blocks (read in large fixed READs) the blocks
// before the bad one arrive (INFORMATION counts the ones not read).
TEST(VariableReadFailuresTest, BadBlockInAFixedBlockFile) {
  VtapeUnit t;
  const auto files = LoadImage(t, {{{512}, {512}, {512}, {512, true}, {512}}, {{512}}});
  Status error;
  EXPECT_EQ(ReadWholeFile(t.unit(), 0, 65536, &error), Head(files[0], 3 * 512));
  ExpectCommandFailed(error, t.log(), SenseKey::kMediumError, 0x11, 0x00, "Media error on read");
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), files[1]);
}

// The size of a file of mixed records is an estimate until it is read; a
// bad record in it makes learning the size fail with the read's error.
TEST(VariableReadFailuresTest, LearningSizesStopsAtABadRecord) {
  VtapeUnit t;
  LoadImage(t, {{{1000}, {4096}, {512, true}, {77}}});
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_FALSE((*list)[0].size_exact);
  int asked = -1;
  Status s = t->LearnAllSizes([&](int index, int count) {
    asked = index;
    EXPECT_EQ(count, 1);
  });
  EXPECT_EQ(asked, 0);
  ExpectCommandFailed(s, t.log(), SenseKey::kMediumError, 0x11, 0x00, "Media error on read");
  EXPECT_EQ(t->stream(), StreamKind::kNone);
}

// The catalog reads the first record of each file and, for variable
// records, the last one: a bad record there fails the catalog (with the
// read's sense), and every operation that needs it.
TEST(VariableReadFailuresTest, BadFirstOrLastRecordFailsTheCatalog) {
  const std::vector<std::vector<std::vector<Rec>>> tapes = {
      {{{512}, {512}}, {{512, true}, {512}}},    // first record of file 1
      {{{1000}, {1000}, {457, true}}, {{512}}},  // last record of file 0
  };
  for (const auto& tape : tapes) {
    VtapeUnit t;
    LoadImage(t, tape);
    auto list = t->Catalog();
    ExpectCommandFailed(list.status(), t.log(), SenseKey::kMediumError, 0x11, 0x00,
                        "Media error on read");
    EXPECT_NE(list.status().ToString().find("catalog"), std::string::npos)
        << list.status().ToString();
    ASSERT_TRUE(t->OpenRead(0).ok());  // lazy: the read says it
    std::vector<uint8_t> buf(4096);
    Result<size_t> n = t->Read(buf);
    ASSERT_FALSE(n.ok());
    EXPECT_NE(n.status().ToString().find("Media error on read"), std::string::npos);
    EXPECT_TRUE(t->Close().ok());
  }
}

// A record longer than a whole streaming buffer cannot be delivered: the
// read says so (ENOTSUP), and the next file reads.
TEST(VariableReadFailuresTest, RecordLongerThanTheStreamingBufferIsRefused) {
  VtapeUnit t;
  UnitConfig config;
  config.buffer_kb = 64;
  const auto files = LoadImage(t, {{{100000}}, {{512}, {512}}}, config);
  Status error;
  EXPECT_TRUE(ReadWholeFile(t.unit(), 0, 65536, &error).empty());
  EXPECT_EQ(error.code(), ErrorCode::kUnsupported) << error.ToString();
  EXPECT_NE(error.ToString().find("a record of 100000 bytes does not fit a streaming buffer"),
            std::string::npos)
      << error.ToString();
  EXPECT_NE(error.ToString().find("raise buffer-kb"), std::string::npos);
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), files[1]);
}

// A file that starts with one block of the unit's size is read in large
// fixed READs; a record of another length in it switches to variable
// reads at that record, with no byte lost or added.
TEST(VariableReadFailuresTest, OddRecordInAFixedBlockFileSwitchesToVariableReads) {
  VtapeUnit t;
  const auto files = LoadImage(t, {{{512}, {512}, {700}, {512}, {300}}, {{512}}});
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), files[0]);
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), files[1]);
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)[0].bytes, files[0].size());
  EXPECT_TRUE((*list)[0].size_exact);
}

// A tape cut in the middle of its last file (a crash while writing):
// before an append its filemark is written. When that fails, the append is
// refused with the drive's words; the next one goes after the cut file.
TEST(VariableReadFailuresTest, AppendAfterACutFileWritesItsFilemarkFirst) {
  VtapeUnit t;
  auto files = LoadImage(t, {{{512}, {512}}, {{512}, {512}, {512}}}, std::nullopt,
                         "fail=wfm@0:medium", /*last_filemark=*/false);
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_FALSE((*list)[1].complete);
  Result<int> refused = t->OpenAppend();
  ExpectCommandFailed(refused.status(), t.log(), SenseKey::kMediumError, 0x0C, 0x00,
                      "Media error on write file marks");
  files.push_back(Pattern(900, 77));
  EXPECT_EQ(unit_testing::AppendFile(t.unit(), files.back()), 2);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), files[0]);
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), files[1]);
  EXPECT_EQ(ReadWholeFile(t.unit(), 2), unit_testing::Padded(files[2]));
  list = t->Catalog();
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE((*list)[1].complete);
}

}  // namespace
}  // namespace tsfs
