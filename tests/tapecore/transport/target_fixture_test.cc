// The test fixtures themselves (tests/support/targets.h): private daemons on
// private ports, gone when the fixture is destroyed or killed.
#include <gtest/gtest.h>

#include <charconv>
#include <string>

#include "tapecore/transport/iscsi_transport.h"
#include "tests/support/ports.h"
#include "tests/support/targets.h"

namespace tsfs {
namespace {

using testing::TargetKind;

uint16_t PortOf(const std::string& uri) {
  size_t colon = uri.find(':', std::string("iscsi://").size());
  size_t slash = uri.find('/', colon);
  unsigned port = 0;
  std::from_chars(uri.data() + colon + 1, uri.data() + slash, port);
  return static_cast<uint16_t>(port);
}

class TargetFixtureTest : public ::testing::TestWithParam<TargetKind> {};

TEST_P(TargetFixtureTest, ListensWhileAliveAndNotAfterDestruction) {
  uint16_t port = 0;
  {
    TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
    EXPECT_EQ(target->name(), GetParam().name);
    port = PortOf(target->uri());
    ASSERT_NE(port, 0);
    EXPECT_TRUE(testing::CanConnect(port));
  }
  EXPECT_FALSE(testing::CanConnect(port)) << "daemon left behind on port " << port;
}

TEST_P(TargetFixtureTest, TwoTargetsAtOnceAreIndependent) {
  TSFS_START_TARGET_OR_SKIP(a, GetParam().start, {});
  TSFS_START_TARGET_OR_SKIP(b, GetParam().start, {});
  EXPECT_NE(a->uri(), b->uri());
  auto ta = IscsiTransport::Open(a->uri());
  auto tb = IscsiTransport::Open(b->uri());
  ASSERT_TRUE(ta.ok()) << ta.status().ToString();
  ASSERT_TRUE(tb.ok()) << tb.status().ToString();
  a->Kill();
  EXPECT_FALSE(testing::CanConnect(PortOf(a->uri())));
  EXPECT_TRUE(testing::CanConnect(PortOf(b->uri())));
  auto still = (*tb)->Execute(std::vector<uint8_t>{0, 0, 0, 0, 0, 0}, DataBuffer::None(),
                              std::chrono::seconds(10));
  EXPECT_TRUE(still.ok()) << still.status().ToString();
}

TEST_P(TargetFixtureTest, KillThenDestroyIsClean) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  target->Kill();
  target->Kill();  // twice is harmless
  EXPECT_FALSE(testing::CanConnect(PortOf(target->uri())));
  EXPECT_FALSE(target->LogTail().empty());
}

INSTANTIATE_TEST_SUITE_P(Targets, TargetFixtureTest, testing::RealTargets(),
                         testing::TargetKindName);

TEST(TargetFixtureTest, IstgtHasNoChapSetup) {
  testing::TargetOptions options;
  options.chap_user = "u";
  options.chap_secret.assign(1, 's');  // GCC 12 -O3: a false -Wrestrict on = "s"
  auto t = testing::StartIstgt(options);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace tsfs
