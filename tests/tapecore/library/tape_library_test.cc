// The library layer on both libraries (the vtape library and tgtd's VTL):
// a scripted sequence of accesses with the exact MOVE MEDIUM count the
// policy needs, data that travels with its cartridge, and the bad inputs.
#include "tapecore/library/tape_library.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "tests/support/targets.h"
#include "tests/support/test_library.h"

namespace tsfs::library {
namespace {

using testing::LibraryKind;

// Counts the MOVE MEDIUM commands that reach the changer.
class CountingTransport final : public Transport {
 public:
  CountingTransport(std::unique_ptr<Transport> inner, std::shared_ptr<std::atomic<int>> moves)
      : inner_(std::move(inner)), moves_(std::move(moves)) {}
  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data,
                               std::chrono::milliseconds timeout) override {
    if (!cdb.empty() && cdb[0] == 0xA5) ++*moves_;
    return inner_->Execute(cdb, data, timeout);
  }
  std::string Describe() const override { return inner_->Describe(); }

 private:
  std::unique_ptr<Transport> inner_;
  std::shared_ptr<std::atomic<int>> moves_;
};

std::vector<uint8_t> Data(size_t n, uint8_t seed) {
  std::vector<uint8_t> d(n);
  for (size_t i = 0; i < n; ++i) d[i] = static_cast<uint8_t>(seed + i * 7);
  return d;
}

class TapeLibraryTest : public ::testing::TestWithParam<LibraryKind> {
 protected:
  void Start(const std::string& vtlib_extra = "") {
    auto lib = testing::StartTestLibrary(GetParam(), {}, vtlib_extra);
    if (!lib.ok()) {
      if (lib.status().code() == ErrorCode::kNotFound && !testing::InCi()) {
        GTEST_SKIP() << lib.status().ToString();
      }
      FAIL() << lib.status().ToString();
    }
    lib_ = std::move(lib).value();
  }

  // A TapeLibrary over fresh transports, drives given in reverse order (the
  // matching by serial number puts them right).
  std::unique_ptr<TapeLibrary> OpenLibrary(
      std::chrono::milliseconds busy_wait = std::chrono::milliseconds(300)) {
    auto changer = lib_->OpenChanger();
    EXPECT_TRUE(changer.ok()) << changer.status().ToString();
    if (!changer.ok()) return nullptr;
    std::vector<std::unique_ptr<Transport>> drives;
    for (int d = lib_->options.drives - 1; d >= 0; --d) {
      auto t = lib_->OpenDrive(d);
      EXPECT_TRUE(t.ok()) << t.status().ToString();
      if (!t.ok()) return nullptr;
      drives.push_back(std::move(t).value());
    }
    LibraryConfig config;
    config.changer = lib_->changer_source;
    config.busy_wait = busy_wait;
    config.ready_timeout = std::chrono::seconds(30);
    auto opened = TapeLibrary::Open(
        config, std::make_unique<CountingTransport>(std::move(changer).value(), moves_),
        std::move(drives), logger_);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  static void WriteFile(TapeUnit& unit, const std::vector<uint8_t>& data) {
    auto index = unit.OpenAppend();
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    ASSERT_TRUE(unit.Write(data).ok());
    ASSERT_TRUE(unit.Close().ok());
  }

  static std::vector<uint8_t> ReadFile(TapeUnit& unit, int index) {
    // ts: no read after a write until the tape was rewound.
    EXPECT_TRUE(unit.Ioctl(MtOp::kRewind, 1).ok());
    EXPECT_TRUE(unit.OpenRead(index).ok());
    std::vector<uint8_t> out;
    std::vector<uint8_t> buf(64 * 1024);
    for (;;) {
      auto n = unit.Read(buf);
      EXPECT_TRUE(n.ok()) << n.status().ToString();
      if (!n.ok() || *n == 0) break;
      out.insert(out.end(), buf.begin(), buf.begin() + *n);
    }
    EXPECT_TRUE(unit.Close().ok());
    return out;
  }

  std::unique_ptr<testing::TestLibrary> lib_;
  std::shared_ptr<std::atomic<int>> moves_ = std::make_shared<std::atomic<int>>(0);
  CapturingLogger logger_;
};

TEST_P(TapeLibraryTest, ScriptedSequenceMovesOnlyWhatThePolicyNeeds) {
  Start();
  if (IsSkipped()) return;
  auto lib = OpenLibrary();
  ASSERT_TRUE(lib);
  ASSERT_EQ(lib->UsableDrives(), 2);
  const std::vector<CartridgeInfo> carts = lib->Cartridges();
  ASSERT_EQ(carts.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(carts[i].name, lib_->barcode(i));
    EXPECT_EQ(carts[i].slot, i + 1);
  }
  const auto one = Data(5000, 1), two = Data(70000, 2), three = Data(1024, 3);
  {
    auto l1 = lib->Acquire("LIB001");  // load: 1 move
    ASSERT_TRUE(l1.ok()) << l1.status().ToString();
    WriteFile(l1->unit(), one);
  }
  {
    auto l2 = lib->Acquire("LIB002");  // the other drive: 1 move
    ASSERT_TRUE(l2.ok()) << l2.status().ToString();
    WriteFile(l2->unit(), two);
  }
  {
    auto again = lib->Acquire("LIB001");  // still loaded: no move
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    std::vector<uint8_t> back = ReadFile(again->unit(), 0);
    ASSERT_GE(back.size(), one.size());  // whole 512-byte blocks (ts rule)
    back.resize(one.size());
    EXPECT_EQ(back, one);
  }
  EXPECT_EQ(*moves_, 2);
  // LIB002 is the least recently used: it goes home (1), LIB003 comes in (1).
  auto l3 = lib->Acquire("LIB003");
  ASSERT_TRUE(l3.ok()) << l3.status().ToString();
  EXPECT_EQ(*moves_, 4);
  WriteFile(l3->unit(), three);
  auto l1 = lib->Acquire("LIB001");
  ASSERT_TRUE(l1.ok()) << l1.status().ToString();
  // Both drives leased (files open): nothing is taken, the access waits, then kBusy.
  auto l4 = lib->Acquire("LIB004");
  EXPECT_EQ(l4.status().code(), ErrorCode::kBusy) << l4.status().ToString();
  EXPECT_EQ(*moves_, 4);
  for (const CartridgeInfo& c : lib->Cartridges()) {
    EXPECT_EQ(c.drive >= 0, c.name == "LIB001" || c.name == "LIB003") << c.name;
  }
  l1->Release();
  l3->Release();
  ASSERT_TRUE(lib->Close().ok());
  EXPECT_EQ(*moves_, 6);  // both cartridges home
  EXPECT_EQ(lib->Stats().moves, 6u);
  if (lib_->vtlib) {
    EXPECT_EQ(lib_->vtlib->Stats().moves, 6u);
    EXPECT_EQ(lib_->vtlib->Stats().forced_unloads, 0u);  // every drive unloaded before the move
  }
  lib.reset();

  // A new session: every cartridge at home, every file where it was written.
  auto again = OpenLibrary();
  ASSERT_TRUE(again);
  for (const CartridgeInfo& c : again->Cartridges()) {
    EXPECT_EQ(c.location, c.home) << c.name;
    EXPECT_EQ(c.drive, -1) << c.name;
  }
  const std::pair<const char*, const std::vector<uint8_t>*> files[] = {
      {"LIB001", &one}, {"LIB002", &two}, {"LIB003", &three}};
  for (const auto& [name, data] : files) {
    auto lease = again->Acquire(name);
    ASSERT_TRUE(lease.ok()) << name << ": " << lease.status().ToString();
    std::vector<uint8_t> back = ReadFile(lease->unit(), 0);
    ASSERT_GE(back.size(), data->size()) << name;
    back.resize(data->size());
    EXPECT_EQ(back, *data) << name;
  }
}

TEST_P(TapeLibraryTest, UnknownNamesAndEmptySlots) {
  Start();
  if (IsSkipped()) return;
  auto lib = OpenLibrary();
  ASSERT_TRUE(lib);
  EXPECT_EQ(lib->Acquire("NOSUCH").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(lib->Acquire("slot007").status().code(), ErrorCode::kNotFound);  // empty slot
  EXPECT_EQ(*moves_, 0);
}

TEST_P(TapeLibraryTest, AChangerThatIsNotAChanger) {
  Start();
  if (IsSkipped()) return;
  auto drive = lib_->OpenDrive(0);
  ASSERT_TRUE(drive.ok());
  LibraryConfig config;
  config.changer = "drive";
  auto opened = TapeLibrary::Open(config, std::move(drive).value(), {}, logger_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), ErrorCode::kNotChanger);
  EXPECT_NE(opened.status().message().find("not a media changer"), std::string::npos);
}

// A drive that goes away (the vtape library's stops answering, tgtd's LUN is
// removed): one log line names it, it leaves the pool, the other drive
// serves the cartridges, and nothing is written to the wrong tape. The
// cartridge inside it: the vtape library's robot takes it home, then the
// other drive serves it; tgtd's changer will not move a cartridge out of a
// drive whose LUN is gone (53/02), so it stays there and is kIo.
TEST_P(TapeLibraryTest, ADriveThatGoesAwayLeavesTheOtherServing) {
  Start();
  if (IsSkipped()) return;
  auto lib = OpenLibrary();
  ASSERT_TRUE(lib);
  const auto one = Data(3000, 11), two = Data(40000, 12), three = Data(5000, 13);
  int gone = -1;
  {
    auto l1 = lib->Acquire("LIB001");
    ASSERT_TRUE(l1.ok()) << l1.status().ToString();
    gone = l1->drive();
    WriteFile(l1->unit(), one);
  }
  {
    auto l2 = lib->Acquire("LIB002");
    ASSERT_TRUE(l2.ok()) << l2.status().ToString();
    WriteFile(l2->unit(), two);
  }
  ASSERT_EQ(*moves_, 2);
  ASSERT_TRUE(lib_->RemoveDrive(gone).ok());
  const auto gone_lines = [&] {
    int n = 0;
    for (const std::string& line : logger_.Lines()) n += line.find(") is gone: ") != line.npos;
    return n;
  };
  {
    // The least recently used drive is the gone one: asked before it is
    // unloaded, it is taken out (its cartridge home on vtlib, a failed move
    // on tgtd); then LIB002 leaves the other drive for LIB003.
    auto l3 = lib->Acquire("LIB003");
    ASSERT_TRUE(l3.ok()) << l3.status().ToString();
    EXPECT_NE(l3->drive(), gone);
    WriteFile(l3->unit(), three);
  }
  EXPECT_EQ(*moves_, 5);
  EXPECT_EQ(lib->UsableDrives(), 1);
  EXPECT_EQ(gone_lines(), 1);
  auto l1 = lib->Acquire("LIB001");
  if (lib_->vtlib) {
    // Taken home when the drive was taken out: LIB003 goes home, LIB001 in.
    ASSERT_TRUE(l1.ok()) << l1.status().ToString();
    EXPECT_EQ(*moves_, 7);
    std::vector<uint8_t> back = ReadFile(l1->unit(), 0);
    back.resize(one.size());
    EXPECT_EQ(back, one);
    l1->Release();
  } else {
    // One more try of the robot, refused again.
    EXPECT_EQ(l1.status().code(), ErrorCode::kIo) << l1.status().ToString();
    EXPECT_NE(l1.status().message().find("out of use"), std::string::npos) << l1.status().message();
    EXPECT_EQ(*moves_, 6);
  }
  // Every other cartridge holds exactly what was written to it.
  const std::pair<const char*, const std::vector<uint8_t>*> files[] = {{"LIB002", &two},
                                                                       {"LIB003", &three}};
  for (const auto& [name, data] : files) {
    auto lease = lib->Acquire(name);
    ASSERT_TRUE(lease.ok()) << name << ": " << lease.status().ToString();
    EXPECT_NE(lease->drive(), gone);
    std::vector<uint8_t> back = ReadFile(lease->unit(), 0);
    ASSERT_GE(back.size(), data->size()) << name;
    back.resize(data->size());
    EXPECT_EQ(back, *data) << name;
    auto catalog = lease->unit().Catalog();
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    EXPECT_EQ(catalog->size(), 1u) << name;
  }
  EXPECT_EQ(gone_lines(), 1);
  ASSERT_TRUE(lib->Close().ok());
}

INSTANTIATE_TEST_SUITE_P(Libraries, TapeLibraryTest,
                         ::testing::Values(LibraryKind::kVtlib, LibraryKind::kTgtd),
                         [](const auto& info) { return testing::LibraryKindName(info.param); });

}  // namespace
}  // namespace tsfs::library
