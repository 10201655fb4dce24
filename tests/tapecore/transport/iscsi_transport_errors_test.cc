// IscsiTransport's error paths against real targets (tgtd and istgt started
// per test): what each failure says, and that it ends within its bound.
#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tapecore/scsi/sense.h"
#include "tapecore/transport/iscsi_transport.h"
#include "tapecore/transport/iscsi_url.h"
#include "tests/support/ports.h"
#include "tests/support/targets.h"
#include "tests/tapecore/transport/raw_scsi.h"

namespace tsfs {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Exec;
using testing::kTestUnitReady;
using testing::TargetKind;

std::unique_ptr<IscsiTransport> OpenOrDie(const std::string& uri) {
  auto t = IscsiTransport::Open(uri);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? std::move(t).value() : nullptr;
}

uint16_t PortOf(const testing::TapeTarget& target) {
  auto url = ParseIscsiUrl(target.uri());
  return url.ok() ? url->port : 0;
}

// True when /proc/net/tcp shows an established connection to 127.0.0.1:port
// (our initiator's side of it).
bool EstablishedTo(uint16_t port) {
  std::ifstream in("/proc/net/tcp");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    const size_t colon = remote.find(':');
    if (colon == std::string::npos || state != "01") continue;
    if (std::stoul(remote.substr(colon + 1), nullptr, 16) == port) return true;
  }
  return false;
}

TEST(IscsiTransportOpenErrorTest, EmptyInitiatorNameIsRefused) {
  auto port = testing::Reservation::TcpPort();  // never contacted
  ASSERT_TRUE(port.ok());
  IscsiOptions options;
  options.initiator_name = "";
  auto t = IscsiTransport::Open(
      "iscsi://127.0.0.1:" + std::to_string(port->value()) + "/iqn.2026-11.test:none/0", options);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("initiator name ''"), std::string::npos)
      << t.status().message();
}

// An IPv6 zone naming no interface cannot be resolved: libiscsi refuses the
// connect before any packet is sent.
TEST(IscsiTransportOpenErrorTest, UnresolvablePortalFailsBeforeConnecting) {
  auto port = testing::Reservation::TcpPort();
  ASSERT_TRUE(port.ok());
  const std::string portal = "[::1%tsfs-no-such-if]:" + std::to_string(port->value());
  const auto before = Clock::now();
  auto t = IscsiTransport::Open("iscsi://" + portal + "/iqn.2026-11.test:none/0");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kTransport);
  EXPECT_NE(t.status().message().find("connect on iSCSI target iqn.2026-11.test:none"),
            std::string::npos)
      << t.status().message();
  EXPECT_NE(t.status().message().find("refused to start it"), std::string::npos)
      << t.status().message();
  EXPECT_NE(t.status().message().find(portal), std::string::npos) << t.status().message();
  EXPECT_LT(Clock::now() - before, seconds(5)) << "waited for a connection never started";
}

// Refused before anything is sent; the session stays as it was.
TEST(IscsiTransportSessionTest, MalformedCommandsAreRefusedLocally) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, {});
  auto t = OpenOrDie(target->uri());
  ASSERT_NE(t, nullptr);
  auto empty = t->Execute(std::vector<uint8_t>{}, {}, seconds(5));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("CDB length 0 not in 1..16"), std::string::npos)
      << empty.status().message();
  auto longer = t->Execute(std::vector<uint8_t>(17, 0), {}, seconds(5));
  ASSERT_FALSE(longer.ok());
  EXPECT_NE(longer.status().message().find("CDB length 17"), std::string::npos)
      << longer.status().message();
  // Never touched: the length is refused first.
  uint8_t byte = 0;
  DataBuffer huge{DataDirection::kIn, &byte, static_cast<size_t>(INT_MAX) + 1};
  auto big = t->Execute(testing::Variable6(0x08, 0), huge, seconds(5));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(big.status().message().find("too large"), std::string::npos) << big.status().message();
  // A timeout of 0 means the default (IscsiOptions::login_timeout).
  auto tur = t->Execute(kTestUnitReady, {}, milliseconds(0));
  ASSERT_TRUE(tur.ok()) << tur.status().ToString();
  EXPECT_EQ(tur->status, kScsiGood) << DescribeSense(tur->sense);
  EXPECT_EQ(t->reconnects(), 0);
}

class IscsiTransportErrorTest : public ::testing::TestWithParam<TargetKind> {};

// The target dies after the TCP connection is up and the login request is
// sent, before it answers: the login ends at once with "connection lost",
// not at its timeout.
TEST_P(IscsiTransportErrorTest, TargetKilledDuringLoginIsConnectionLost) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  const uint16_t port = PortOf(*target);
  ASSERT_NE(port, 0);
  target->Freeze(true);  // the kernel still completes the TCP handshake
  IscsiOptions options;
  options.login_timeout = seconds(15);
  auto opening =
      std::async(std::launch::async, [&] { return IscsiTransport::Open(target->uri(), options); });
  const auto deadline = Clock::now() + seconds(10);
  while (!EstablishedTo(port) && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_TRUE(EstablishedTo(port)) << "the initiator never connected";
  const auto killed = Clock::now();
  target->Kill();
  ASSERT_EQ(opening.wait_for(seconds(30)), std::future_status::ready) << "Open hangs";
  auto t = opening.get();
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kTransport);
  EXPECT_NE(t.status().message().find("login on iSCSI target"), std::string::npos)
      << t.status().message();
  EXPECT_NE(t.status().message().find("connection lost"), std::string::npos)
      << t.status().message();
  EXPECT_LT(Clock::now() - killed, seconds(10)) << "waited for the login timeout";
}

// Destroying the transport logs out, but a target that does not answer
// delays it by at most the logout bound (2 s); a dead one not at all.
TEST_P(IscsiTransportErrorTest, CloseWithAHungOrDeadTargetIsBounded) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  for (bool kill : {false, true}) {
    auto t = OpenOrDie(target->uri());
    ASSERT_NE(t, nullptr);
    if (kill) {
      target->Kill();
    } else {
      target->Freeze(true);
    }
    const auto before = Clock::now();
    auto closing = std::async(std::launch::async, [&] { t.reset(); });
    const bool returned = closing.wait_for(seconds(30)) == std::future_status::ready;
    target->Freeze(false);
    ASSERT_TRUE(returned) << "the close hangs";
    // Generous: this detects waiting for the target, not speed.
    EXPECT_LT(Clock::now() - before, seconds(10)) << (kill ? "dead" : "hung") << " target";
  }
}

// A LUN the target does not have: the login works (it is per target), and
// the target answers for the LUN: INQUIRY with peripheral qualifier 3 (no
// logical unit) and device type 1Fh, other commands ILLEGAL REQUEST 25/00
// (LOGICAL UNIT NOT SUPPORTED). The transport hands both on unchanged.
TEST_P(IscsiTransportErrorTest, MissingLunIsRefusedByTheTarget) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  auto url = ParseIscsiUrl(target->uri());
  ASSERT_TRUE(url.ok());
  auto t = OpenOrDie("iscsi://" + url->Portal() + "/" + url->target + "/7");
  ASSERT_NE(t, nullptr);
  std::vector<uint8_t> inq(96, 0xEE);
  auto r = Exec(*t, {0x12, 0, 0, 0, 96, 0}, DataBuffer::In(inq));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, kScsiGood) << DescribeSense(r->sense);
  EXPECT_EQ(inq[0], 0x7F);
  for (int i = 0; i < 2; ++i) {  // not a UNIT ATTENTION that goes away
    auto tur = Exec(*t, kTestUnitReady);
    ASSERT_TRUE(tur.ok()) << tur.status().ToString();
    ASSERT_EQ(tur->status, kScsiCheckCondition);
    EXPECT_TRUE(ParseSense(tur->sense).Is(SenseKey::kIllegalRequest, 0x25, 0x00))
        << DescribeSense(tur->sense);
  }
  EXPECT_EQ(t->reconnects(), 0);
}

INSTANTIATE_TEST_SUITE_P(Targets, IscsiTransportErrorTest, testing::RealTargets(),
                         testing::TargetKindName);

// The target is down when the command comes, and back before its timeout:
// the transport retries the login until it works and answers UNIT ATTENTION.
TEST(IscsiTransportReconnectTest, CommandWaitsForATargetThatComesBack) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, {});
  auto t = OpenOrDie(target->uri());
  ASSERT_NE(t, nullptr);
  target->Kill();
  auto first =
      std::async(std::launch::async, [&] { return t->Execute(kTestUnitReady, {}, seconds(30)); });
  // Refused logins meanwhile (nobody listens); then tgtd again on its port.
  ASSERT_NE(first.wait_for(milliseconds(300)), std::future_status::ready)
      << "gave up while the target was down";
  ASSERT_TRUE(target->Restart().ok());
  ASSERT_EQ(first.wait_for(seconds(40)), std::future_status::ready) << "Execute hangs";
  auto r = first.get();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, kScsiCheckCondition);
  SenseData s = ParseSense(r->sense);
  EXPECT_EQ(s.key, SenseKey::kUnitAttention) << DescribeSense(r->sense);
  EXPECT_EQ(s.asc, 0x29) << DescribeSense(r->sense);
  EXPECT_EQ(t->reconnects(), 1);
  auto next = Exec(*t, kTestUnitReady);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->status, kScsiGood) << DescribeSense(next->sense);
}

// tgtd probes idle initiators with NOP-In; the transport answers them when
// it next looks at the idle session, which stays up.
TEST(IscsiTransportSessionTest, NopInWhileIdleKeepsTheSession) {
  testing::TargetOptions options;
  options.nop_interval_s = 1;
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, options);
  auto t = OpenOrDie(target->uri());
  ASSERT_NE(t, nullptr);
  for (int round = 0; round < 2; ++round) {
    std::this_thread::sleep_for(milliseconds(2500));  // two or more probes arrive meanwhile
    auto r = Exec(*t, kTestUnitReady);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, kScsiGood) << DescribeSense(r->sense);
  }
  EXPECT_EQ(t->reconnects(), 0);
}

}  // namespace
}  // namespace tsfs
