#include "tapecore/transport/sg_transport.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace tsfs {
namespace {

TEST(SgTransportTest, MissingDeviceIsNotFoundAndNamed) {
  auto t = SgTransport::Open("/dev/sg-tsfs-does-not-exist");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(t.status().message().find("/dev/sg-tsfs-does-not-exist"), std::string::npos)
      << t.status().message();
}

TEST(SgTransportTest, RegularFileIsNotAScsiDevice) {
  auto dir = testing::TempDir::Create("tsfs-sg-test");
  ASSERT_TRUE(dir.ok());
  const std::string path = dir->File("plain-file");
  std::ofstream(path) << "not a tape";
  auto t = SgTransport::Open(path);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("not a SCSI generic device"), std::string::npos)
      << t.status().message();
  EXPECT_NE(t.status().message().find(path), std::string::npos);
}

TEST(SgTransportTest, DevNullIsNotAScsiDevice) {
  auto t = SgTransport::Open("/dev/null");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("not a SCSI generic device"), std::string::npos)
      << t.status().message();
}

TEST(SgTransportTest, DirectoryIsNotAScsiDevice) {
  auto t = SgTransport::Open("/tmp");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace tsfs
