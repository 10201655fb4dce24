// The CHAP secret file: first line, and refused unless only its owner can read it.
#include "tapecore/transport/chap_secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "tests/support/temp_dir.h"

namespace tsfs {
namespace {

class ChapSecretFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = testing::TempDir::Create("chap");
    ASSERT_TRUE(dir.ok());
    dir_ = std::move(dir).value();
  }
  std::string Write(const std::string& name, const std::string& text, mode_t mode) {
    const std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << text;
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path;
  }
  testing::TempDir dir_;
};

TEST_F(ChapSecretFileTest, FirstLineWithoutItsLineEnd) {
  auto s = ReadChapSecretFile(Write("a", "s3cret/with+chars=\r\nsecond line\n", 0600));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(*s, "s3cret/with+chars=");
  auto r = ReadChapSecretFile(Write("b", "no-newline", 0400));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "no-newline");
}

TEST_F(ChapSecretFileTest, ReadableByGroupOrOthersIsRefused) {
  for (mode_t mode : {0644, 0640, 0604, 0620, 0602}) {
    std::string name = "m";  // appended: GCC 12 -O3's false -Wrestrict on "m" + string
    name += std::to_string(mode);
    const std::string path = Write(name, "secret-in-file", mode);
    auto s = ReadChapSecretFile(path);
    ASSERT_FALSE(s.ok()) << std::oct << mode;
    EXPECT_EQ(s.status().code(), ErrorCode::kPermission);
    EXPECT_NE(s.status().message().find(path), std::string::npos) << s.status().message();
    EXPECT_NE(s.status().message().find("chmod 600"), std::string::npos) << s.status().message();
    EXPECT_EQ(s.status().message().find("secret-in-file"), std::string::npos);
  }
}

TEST_F(ChapSecretFileTest, MissingEmptyLongAndNotAFile) {
  auto missing = ReadChapSecretFile(dir_.File("none"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  auto empty = ReadChapSecretFile(Write("e", "\nsecond\n", 0600));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), ErrorCode::kConfig);
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos);
  auto longer = ReadChapSecretFile(Write("l", std::string(256, 'x'), 0600));
  ASSERT_FALSE(longer.ok());
  EXPECT_EQ(longer.status().code(), ErrorCode::kConfig);
  EXPECT_TRUE(ReadChapSecretFile(Write("ok", std::string(255, 'x'), 0600)).ok());
  auto nul = ReadChapSecretFile(Write("n", std::string("ab\0cd", 5), 0600));
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.status().code(), ErrorCode::kConfig);
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0700), 0);
  auto dir = ReadChapSecretFile(dir_.path());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().code(), ErrorCode::kPermission);
}

TEST_F(ChapSecretFileTest, AFileFarTooLongIsNotReadToTheEnd) {
  auto s = ReadChapSecretFile(Write("huge", std::string(64 * 1024, 'y') + "\n", 0600));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kConfig);
  EXPECT_NE(s.status().message().find("longer than 255 bytes"), std::string::npos)
      << s.status().message();
}

TEST_F(ChapSecretFileTest, OwnedBySomeoneElseIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root can give a file to another user";
  const std::string path = Write("theirs", "secret-of-4242", 0600);
  ASSERT_EQ(::chown(path.c_str(), 4242, 4242), 0);
  auto s = ReadChapSecretFile(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kPermission);
  EXPECT_NE(s.status().message().find("owned by uid 4242"), std::string::npos)
      << s.status().message();
  EXPECT_EQ(s.status().message().find("secret-of-4242"), std::string::npos);
}

// /proc/self/mem passes every check (a regular file of mode 0600, ours) but
// reading it at offset 0 fails with EIO: page 0 is never mapped.
TEST_F(ChapSecretFileTest, ReadErrorIsAnIoError) {
  auto s = ReadChapSecretFile("/proc/self/mem");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kIo);
  EXPECT_NE(s.status().message().find("CHAP secret file /proc/self/mem: Input/output error"),
            std::string::npos)
      << s.status().message();
}

}  // namespace
}  // namespace tsfs
