// ReadFileText: the whole file, byte for byte, larger than one read(2);
// a missing file is kNotFound, anything else that cannot be read is kIo.
#include "tapecore/file_text.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "tests/support/temp_dir.h"

namespace tsfs {
namespace {

TEST(FileTextTest, ReadsTheWholeFileExactly) {
  auto dir = testing::TempDir::Create("filetext");
  ASSERT_TRUE(dir.ok());
  // More than one 64 KiB chunk, not a multiple of it, with NULs and no final
  // newline.
  std::string want;
  for (int i = 0; i < 200000; ++i) want.push_back(static_cast<char>(i * 7 % 256));
  std::ofstream(dir->File("big"), std::ios::binary) << want;
  Result<std::string> got = ReadFileText(dir->File("big"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, want);

  std::ofstream(dir->File("empty"), std::ios::binary).flush();
  got = ReadFileText(dir->File("empty"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "");
}

TEST(FileTextTest, MissingIsNotFoundOtherFailuresAreIo) {
  auto dir = testing::TempDir::Create("filetext");
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(ReadFileText(dir->File("none")).status().code(), ErrorCode::kNotFound);
  std::ofstream(dir->File("file")) << "x\n";
  // A file where a directory of the path should be.
  EXPECT_EQ(ReadFileText(dir->File("file") + "/sub").status().code(), ErrorCode::kNotFound);
  // A directory opens but cannot be read: EISDIR, named with the path.
  ASSERT_EQ(::mkdir(dir->File("d").c_str(), 0700), 0);
  Status s = ReadFileText(dir->File("d")).status();
  EXPECT_EQ(s.code(), ErrorCode::kIo);
  EXPECT_NE(s.ToString().find(dir->File("d")), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace tsfs
