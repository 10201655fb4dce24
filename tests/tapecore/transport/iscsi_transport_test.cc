// IscsiTransport against real targets (tgtd and istgt started per test).
// These tests build raw CDBs on purpose: they test the transport, below ssc.
#include "tapecore/transport/iscsi_transport.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <numeric>
#include <thread>
#include <vector>

#include "tapecore/scsi/sense.h"
#include "tests/support/ports.h"
#include "tests/support/targets.h"
#include "tests/tapecore/transport/raw_scsi.h"

namespace tsfs {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
constexpr milliseconds kTimeout = testing::kRawTimeout;

using testing::Exec;
using testing::Fixed6;
using testing::SetFixed512;
using testing::TargetKind;

class IscsiTransportTest : public ::testing::TestWithParam<TargetKind> {};

TEST_P(IscsiTransportTest, InquirySaysSequentialAccess) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  auto t = IscsiTransport::Open(target->uri());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  std::vector<uint8_t> inq(96, 0xEE);
  auto r = Exec(**t, {0x12, 0, 0, 0, 96, 0}, DataBuffer::In(inq));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, kScsiGood);
  EXPECT_EQ(inq[0] & 0x1F, 0x01) << "peripheral device type";
  EXPECT_TRUE(inq[1] & 0x80) << "removable medium";
  EXPECT_EQ((*t)->Describe(), target->uri());
}

TEST_P(IscsiTransportTest, CheckConditionCarriesRawSense) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  auto t = IscsiTransport::Open(target->uri());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  // LOCATE to a block on a blank tape, or a reserved opcode: both targets
  // answer CHECK CONDITION; an unknown opcode must be ILLEGAL REQUEST 20/00.
  auto r = Exec(**t, {0xFF, 0, 0, 0, 0, 0});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, kScsiCheckCondition);
  SenseData s = ParseSense(r->sense);
  EXPECT_EQ(s.key, SenseKey::kIllegalRequest) << DescribeSense(r->sense);
  EXPECT_EQ(s.asc, 0x20) << DescribeSense(r->sense);
}

TEST_P(IscsiTransportTest, FilemarkSenseWithInformation) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  auto t = IscsiTransport::Open(target->uri());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  SetFixed512(**t);
  std::vector<uint8_t> data(3 * 512, 0x5A);
  auto w = Exec(**t, Fixed6(0x0A, 3), DataBuffer::Out(data));
  ASSERT_TRUE(w.ok() && w->status == kScsiGood);
  ASSERT_TRUE(Exec(**t, {0x10, 0, 0, 0, 1, 0}).ok());  // WRITE FILEMARKS 1
  ASSERT_TRUE(Exec(**t, {0x01, 0, 0, 0, 0, 0}).ok());  // REWIND
  std::vector<uint8_t> in(5 * 512);
  auto r = Exec(**t, Fixed6(0x08, 5), DataBuffer::In(in));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, kScsiCheckCondition);
  SenseData s = ParseSense(r->sense);
  EXPECT_TRUE(s.filemark) << DescribeSense(r->sense);
  ASSERT_TRUE(s.information_valid);
  EXPECT_EQ(s.information, 2) << "blocks not read";
  EXPECT_TRUE(std::equal(data.begin(), data.end(), in.begin()));
}

TEST_P(IscsiTransportTest, LargeTransfersRoundTrip) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  auto t = IscsiTransport::Open(target->uri());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  SetFixed512(**t);
  // 4 MiB in one command on tgtd, 1 MiB on istgt. istgt: a WRITE of more than
  // about 1.5 MiB (3000 blocks pass, 3500 fail) answers CHECK CONDITION with
  // no sense data at all.
  const uint32_t kBlocks = std::string(GetParam().name) == "istgt" ? 2048 : 8192;
  std::vector<uint8_t> data(kBlocks * 512);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>((i * 7 + i / 512) & 0xFF);
  auto w = Exec(**t, Fixed6(0x0A, kBlocks), DataBuffer::Out(data));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_EQ(w->status, kScsiGood) << DescribeSense(w->sense);
  ASSERT_TRUE(Exec(**t, {0x10, 0, 0, 0, 1, 0}).ok());
  ASSERT_TRUE(Exec(**t, {0x01, 0, 0, 0, 0, 0}).ok());
  std::vector<uint8_t> in(data.size(), 0);
  auto r = Exec(**t, Fixed6(0x08, kBlocks), DataBuffer::In(in));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, kScsiGood) << DescribeSense(r->sense);
  EXPECT_TRUE(in == data);
}

TEST_P(IscsiTransportTest, WrongIqnIsAClearLoginError) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  std::string uri = target->uri();
  size_t last = uri.rfind('/');
  std::string bad = uri.substr(0, last) + "-missing" + uri.substr(last);
  auto t = IscsiTransport::Open(bad);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kTransport);
  EXPECT_NE(t.status().message().find("-missing"), std::string::npos) << t.status().message();
  EXPECT_NE(t.status().message().find("login"), std::string::npos) << t.status().message();
}

TEST_P(IscsiTransportTest, TargetKilledMidCommandGivesTransportError) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  auto opened = IscsiTransport::Open(target->uri());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<IscsiTransport> t = std::move(opened).value();
  SetFixed512(*t);
  std::atomic<int> writes{0};
  // 1 MiB writes until the transport fails; the main thread kills the target.
  auto writer = std::async(std::launch::async, [&]() -> Status {
    std::vector<uint8_t> data(2048 * 512, 0x33);
    for (;;) {
      auto r = t->Execute(Fixed6(0x0A, 2048), DataBuffer::Out(data), seconds(20));
      if (!r.ok()) return r.status();
      ++writes;
      if (writes > 100) {  // stay well inside the image: rewind now and then
        (void)t->Execute(std::vector<uint8_t>{0x01, 0, 0, 0, 0, 0}, {}, seconds(20));
        writes = 1;
      }
    }
  });
  while (writes.load() == 0) std::this_thread::sleep_for(milliseconds(5));
  auto killed = std::chrono::steady_clock::now();
  target->Kill();
  // Generous bound: this detects a hang, it does not measure speed.
  ASSERT_EQ(writer.wait_for(seconds(30)), std::future_status::ready) << "Execute hangs";
  auto elapsed =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - killed);
  Status s = writer.get();
  EXPECT_EQ(s.code(), ErrorCode::kTransport) << s.ToString();
  RecordProperty("kill_to_error_ms", std::to_string(elapsed.count()));
  // The target is gone: the next command tries to log in again for its own
  // timeout, then fails the same way, saying so.
  const auto before = std::chrono::steady_clock::now();
  auto again = t->Execute(std::vector<uint8_t>{0x00, 0, 0, 0, 0, 0}, {}, milliseconds(1500));
  const auto took = std::chrono::steady_clock::now() - before;
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kTransport);
  EXPECT_NE(again.status().message().find("logging in again failed"), std::string::npos)
      << again.status().message();
  EXPECT_LT(took, seconds(5)) << "the login retries ignore the command's timeout";
  EXPECT_EQ(t->reconnects(), 0);
}

// A new session after a lost one: the first command is answered UNIT
// ATTENTION 29/xx (not sent), the next ones work. tgtd restarted on the
// same port and image.
TEST(IscsiTransportReconnectTest, RestartedTargetAnswersUnitAttentionFirst) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, {});
  auto opened = IscsiTransport::Open(target->uri());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<IscsiTransport> t = std::move(opened).value();
  ASSERT_TRUE(target->Restart().ok());
  // The closed connection is noticed before the command is sent.
  auto first = t->Execute(std::vector<uint8_t>{0x00, 0, 0, 0, 0, 0}, {}, kTimeout);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->status, kScsiCheckCondition);
  SenseData s = ParseSense(first->sense);
  EXPECT_EQ(s.key, SenseKey::kUnitAttention) << DescribeSense(first->sense);
  EXPECT_EQ(s.asc, 0x29) << DescribeSense(first->sense);
  RecordProperty("first_sense", DescribeSense(first->sense));
  EXPECT_EQ(t->reconnects(), 1);
  auto next = t->Execute(std::vector<uint8_t>{0x00, 0, 0, 0, 0, 0}, {}, kTimeout);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->status, kScsiGood) << DescribeSense(next->sense);
}

TEST_P(IscsiTransportTest, FrozenTargetTimesOutAsTransportError) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  auto opened = IscsiTransport::Open(target->uri());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<IscsiTransport> t = std::move(opened).value();
  // The daemon stops answering but keeps its connections open: only our
  // deadline can end the command.
  target->Freeze(true);
  std::vector<uint8_t> inq(96);
  auto done = std::async(std::launch::async, [&] {
    return t->Execute(std::vector<uint8_t>{0x12, 0, 0, 0, 96, 0}, DataBuffer::In(inq),
                      milliseconds(1500));
  });
  const bool returned = done.wait_for(seconds(30)) == std::future_status::ready;
  target->Freeze(false);
  ASSERT_TRUE(returned) << "Execute ignores its timeout";
  auto r = done.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTransport);
  EXPECT_NE(r.status().message().find("no answer within the timeout"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find(target->uri().substr(8, 9)), std::string::npos)
      << "names the portal: " << r.status().message();
  // Continued: the next command logs in again and is answered UNIT
  // ATTENTION 29/xx (the target's own, or 29/07 made by the transport).
  auto first = t->Execute(std::vector<uint8_t>{0x00, 0, 0, 0, 0, 0}, {}, kTimeout);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->status, kScsiCheckCondition);
  SenseData s = ParseSense(first->sense);
  EXPECT_EQ(s.key, SenseKey::kUnitAttention) << DescribeSense(first->sense);
  EXPECT_EQ(s.asc, 0x29) << DescribeSense(first->sense);
  std::printf("%s after a new session: %s\n", GetParam().name, DescribeSense(first->sense).c_str());
  auto next = t->Execute(std::vector<uint8_t>{0x12, 0, 0, 0, 96, 0}, DataBuffer::In(inq), kTimeout);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->status, kScsiGood) << DescribeSense(next->sense);
}

TEST_P(IscsiTransportTest, FrozenTargetLoginTimesOut) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  target->Freeze(true);
  IscsiOptions options;
  options.login_timeout = milliseconds(1500);
  auto done =
      std::async(std::launch::async, [&] { return IscsiTransport::Open(target->uri(), options); });
  const bool returned = done.wait_for(seconds(30)) == std::future_status::ready;
  target->Freeze(false);
  ASSERT_TRUE(returned) << "Open ignores its timeout";
  auto t = done.get();
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kTransport);
}

INSTANTIATE_TEST_SUITE_P(Targets, IscsiTransportTest, testing::RealTargets(),
                         testing::TargetKindName);

TEST(IscsiTransportOpenTest, ConnectionRefusedNamesThePortal) {
  auto port = testing::Reservation::TcpPort();
  ASSERT_TRUE(port.ok());
  const std::string portal = "127.0.0.1:" + std::to_string(port->value());
  auto t = IscsiTransport::Open("iscsi://" + portal + "/iqn.2026-11.test:none/0");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kTransport);
  EXPECT_NE(t.status().message().find(portal), std::string::npos) << t.status().message();
  EXPECT_NE(t.status().message().find("refused"), std::string::npos) << t.status().message();
}

TEST(IscsiTransportOpenTest, ChapLoginWithAndWithoutTheSecret) {
  testing::TargetOptions options;
  options.chap_user = "tsfsuser";
  options.chap_secret = "tsfs-secret-12";
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, options);
  const std::string uri = target->uri();
  const std::string rest = uri.substr(std::string("iscsi://").size());
  auto good = IscsiTransport::Open("iscsi://tsfsuser%tsfs-secret-12@" + rest);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ((*good)->Describe().find("tsfs-secret-12"), std::string::npos);
  auto wrong = IscsiTransport::Open("iscsi://tsfsuser%wrong-secret-1@" + rest);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), ErrorCode::kTransport);
  EXPECT_EQ(wrong.status().message().find("wrong-secret-1"), std::string::npos)
      << "secrets stay out of messages";
  auto none = IscsiTransport::Open(uri);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), ErrorCode::kTransport);
}

}  // namespace
}  // namespace tsfs
