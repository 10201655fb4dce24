// Issue 9: the fault matrix. Every vtape fail= key on every command kind the
// unit issues (read, write, write filemarks, space, rewind, erase, load,
// test unit ready, locate), each through a real mount driven by cp, cat and
// mt: the program gets the errno of the table in tsfs(8) (by sense key: DATA
// PROTECT EROFS, VOLUME OVERFLOW ENOSPC, every other key EIO), the log has
// the ts message ("Media error on write"), and no earlier file loses a byte
// (checked through a fresh mount without faults).
//
// Every case starts from the same image: file000 (objects 0-39, filemark 40)
// and file001 (41-99, filemark 100), end of data at 101. A mount of it
// touches objects up to 101 (probe, catalog scan), so most rules name a
// block past that, reached only by the action of the case or by file002
// (objects 101-300, filemark 301) written cleanly in the same mount first.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "tests/fusefs/foreground_mount.h"
#include "tests/fusefs/mount_harness.h"

namespace tsfs::fusefs_test {
namespace {

constexpr size_t kSize0 = 20000;   // 40 blocks
constexpr size_t kSize1 = 30000;   // 59 blocks
constexpr size_t kSize2 = 102400;  // 200 blocks

// How one command kind is made to run where its rule fires.
struct CommandPlan {
  const char* fail_command;        // vtape name
  uint64_t block;                  // the rule's block
  const char* ts_words;            // the command in ts's message
  bool write_file2_first;          // file002 written (cleanly) before the action
  std::vector<std::string> setup;  // shell commands that must succeed ({M}: mount point)
  std::string action;              // the command whose errno is checked
};

const std::vector<CommandPlan>& Plans() {
  static const std::vector<CommandPlan> plans = {
      {"read", 150, "read", true, {}, "cat {M}/file002 > {T}/out"},
      {"write", 150, "write", false, {}, "cp {T}/src2 {M}/file002"},
      // Every close of a written file flushes the drive (WRITE FILEMARKS 0).
      {"wfm", 150, "write file marks", false, {}, "cp {T}/src2 {M}/file002"},
      // Reading file001 to its end leaves the tape at file002 (object 101).
      {"space", 101, "space", true, {"cat {M}/file001 > /dev/null"}, "mt -f {M} fsf 1"},
      {"rewind", 150, "rewind", true, {}, "mt -f {M} rewind"},
      // mt erase opens its device for writing: a tape file, not the directory.
      {"erase", 0, "erase", false, {}, "mt -f {M}/file001 erase"},
      // mt retension is LOAD with RETEN.
      {"load", 0, "retension", false, {}, "mt -f {M} retension"},
      // The open of a file asks TEST UNIT READY (the tape is at 302 then).
      {"tur", 150, "test unit ready", true, {}, "cat {M}/file000 > /dev/null"},
      {"locate", 41, "locate", false, {}, "cat {M}/file001 > {T}/out"},
  };
  return plans;
}

struct KeyInfo {
  const char* name;      // vtape name
  const char* ts_words;  // ts's words for its sense key
  int errno_value;       // tsfs(8): by sense key
};

const std::vector<KeyInfo>& Keys() {
  static const std::vector<KeyInfo> keys = {
      {"medium", "Media error", EIO},          {"hardware", "Hardware error", EIO},
      {"notready", "Tape not ready", EIO},     {"aborted", "Aborted command", EIO},
      {"overflow", "Volume overflow", ENOSPC}, {"protect", "Media is protected", EROFS},
      {"illegal", "Illegal request", EIO},     {"vendor", "Vendor unique error", EIO},
      {"unitattention", "Unknown error", EIO},
  };
  return keys;
}

struct Expected {
  int errno_value = 0;     // 0: the program succeeds
  bool ts_message = true;  // the ts message is logged
  bool files_kept = true;  // file000 and file001 read back byte for byte
  std::string log_line;    // another line the log must have
};

// The outcome a tape administrator expects, by the errno table; the
// exceptions are where the unit recovers by itself.
Expected Expect(const CommandPlan& plan, const KeyInfo& key) {
  Expected e;
  e.errno_value = key.errno_value;
  const std::string cmd = plan.fail_command;
  const std::string k = key.name;
  if (cmd == "locate") {
    // A failed LOCATE is not the end: rewind and SPACE get there.
    e.errno_value = 0;
  } else if (cmd == "tur" && k == "unitattention") {
    // UNIT ATTENTION at open: the tape may have changed; the unit drops
    // what it knew, asks again and reads the tape afresh.
    e.errno_value = 0;
    e.ts_message = false;
    e.log_line = "tape changed";
  } else if (cmd == "erase" && k == "illegal") {
    // INVALID FIELD IN CDB refuses the IMMED bit: the erase is sent again
    // without it, succeeds, and the tape is erased as asked.
    e.errno_value = 0;
    e.ts_message = false;
    e.files_kept = false;
  }
  return e;
}

std::string Fill(std::string text, const std::string& mnt, const std::string& tmp) {
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"{M}", mnt}, {"{T}", tmp}}) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
      text.replace(at, from.size(), to);
      at += to.size();
    }
  }
  return text;
}

// The image every case starts from, written once through a clean mount.
class TemplateImage {
 public:
  TemplateImage() {
    MakeDataFile(dir_ / "src0", kSize0, 100);
    MakeDataFile(dir_ / "src1", kSize1, 101);
    MakeDataFile(dir_ / "src2", kSize2, 102);
    Sh(": > " + Quote(image()));
    TsfsMount mnt("vtape:" + image(), dir_ / "mnt", "catalog_dir=none");
    ok_ = mnt.Mount().ok() && Sh("cp " + Quote(dir_ / "src0") + " " + Quote(mnt / "file000") +
                                 " && cp " + Quote(dir_ / "src1") + " " + Quote(mnt / "file001"))
                                  .ok();
    ok_ = mnt.Unmount().ok() && ok_;
  }
  bool ok() const { return ok_; }
  std::string image() const { return dir_ / "template.tap"; }
  std::string src(int i) const { return dir_ / ("src" + std::to_string(i)); }

 private:
  TempDir dir_;
  bool ok_ = false;
};

const TemplateImage& Template() {
  static const TemplateImage image;
  return image;
}

using MatrixParam = std::tuple<size_t, size_t>;  // plan, key

class FaultMatrixTest : public ::testing::TestWithParam<MatrixParam> {
 protected:
  std::string Image() const { return dir_ / "t.tap"; }
  std::string Mnt() const { return dir_ / "mnt"; }
  std::string Tmp() const { return dir_.path(); }
  TempDir dir_;
};

bool SameBytes(const std::string& original, const std::string& on_tape, size_t size) {
  return Sh("cmp -n " + std::to_string(size) + " " + Quote(original) + " " + Quote(on_tape)).ok();
}

TEST_P(FaultMatrixTest, ErrnoTsMessageAndNothingLost) {
  const CommandPlan& plan = Plans()[std::get<0>(GetParam())];
  const KeyInfo& key = Keys()[std::get<1>(GetParam())];
  const Expected want = Expect(plan, key);
  ASSERT_TRUE(Template().ok()) << "the template image could not be written";
  ASSERT_TRUE(Sh("cp " + Quote(Template().image()) + " " + Quote(Image()) + " && cp " +
                 Quote(Template().src(2)) + " " + Quote(dir_ / "src2"))
                  .ok());
  const std::string rule =
      std::string(plan.fail_command) + "@" + std::to_string(plan.block) + ":" + key.name;
  const std::string log = dir_ / "tsfs.log";
  {
    ForegroundTsfs tsfs("vtape:" + Image() + "?fail=" + rule, Mnt(), "catalog_dir=none", log);
    ASSERT_TRUE(tsfs.started()) << tsfs.Log();
    if (plan.write_file2_first) {
      ShellResult cp = Sh("cp " + Quote(dir_ / "src2") + " " + Quote(Mnt() + "/file002"));
      ASSERT_TRUE(cp.ok()) << rule << ": file002 before the fault: " << cp << "\n" << tsfs.Log();
    }
    for (const std::string& step : plan.setup) {
      ShellResult r = Sh(Fill(step, Mnt(), Tmp()));
      ASSERT_TRUE(r.ok()) << rule << ": " << step << ": " << r << "\n" << tsfs.Log();
    }
    const std::string action = Fill(plan.action, Mnt(), Tmp());
    ShellResult r = Sh(action);
    if (want.errno_value == 0) {
      EXPECT_TRUE(r.ok()) << rule << ": " << action << ": " << r << "\n" << tsfs.Log();
    } else {
      EXPECT_NE(r.status, 0) << rule << ": " << action << " succeeded\n" << tsfs.Log();
      const std::string text = std::strerror(want.errno_value);
      EXPECT_NE(r.err.find(text), std::string::npos)
          << rule << ": " << action << ": wanted " << text << ", got: " << r << "\n"
          << tsfs.Log();
    }
    if (plan.action.find("{T}/out") != std::string::npos && want.errno_value == 0) {
      const int file = plan.action.find("file002") != std::string::npos ? 2 : 1;
      const size_t size = file == 2 ? kSize2 : kSize1;
      EXPECT_TRUE(SameBytes(Template().src(file), dir_ / "out", size)) << rule;
    }
    const std::string message = std::string(key.ts_words) + " on " + plan.ts_words;
    if (want.ts_message) {
      EXPECT_NE(tsfs.Log().find(message), std::string::npos)
          << rule << ": no \"" << message << "\" in the log:\n"
          << tsfs.Log();
    }
    if (!want.log_line.empty()) {
      EXPECT_NE(tsfs.Log().find(want.log_line), std::string::npos)
          << rule << ": no \"" << want.log_line << "\" in the log:\n"
          << tsfs.Log();
    }
    ShellResult u = Sh("fusermount3 -u " + Quote(Mnt()));
    EXPECT_TRUE(u.ok()) << u;
    EXPECT_TRUE(tsfs.Exited(std::chrono::seconds(60))) << rule << ": tsfs did not exit";
  }
  // What was on the tape before is still there, read by a mount without faults.
  TsfsMount clean("vtape:" + Image(), Mnt(), "catalog_dir=none");
  ShellResult m = clean.Mount();
  ASSERT_TRUE(m.ok()) << rule << ": " << m;
  const auto listed = ListSizes(Mnt());
  if (!want.files_kept) {
    EXPECT_TRUE(listed.empty()) << rule << ": the erase asked for did not happen";
    return;
  }
  ASSERT_GE(listed.size(), 2u) << rule;
  EXPECT_TRUE(SameBytes(Template().src(0), clean / "file000", kSize0)) << rule << ": file000";
  EXPECT_TRUE(SameBytes(Template().src(1), clean / "file001", kSize1)) << rule << ": file001";
  if (plan.write_file2_first) {
    ASSERT_GE(listed.size(), 3u) << rule;
    EXPECT_TRUE(SameBytes(Template().src(2), clean / "file002", kSize2)) << rule << ": file002";
  }
  // And the tape takes a new file after it.
  ShellResult append = Sh("cp " + Quote(Template().src(0)) + " " +
                          Quote(clean / ("file" + std::string(listed.size() < 10 ? "00" : "0") +
                                         std::to_string(listed.size()))));
  EXPECT_TRUE(append.ok()) << rule << ": append after the fault: " << append;
}

INSTANTIATE_TEST_SUITE_P(AllKeysOnAllCommands, FaultMatrixTest,
                         ::testing::Combine(::testing::Range<size_t>(0, 9),
                                            ::testing::Range<size_t>(0, 9)),
                         [](const ::testing::TestParamInfo<MatrixParam>& info) {
                           return std::string(Plans()[std::get<0>(info.param)].fail_command) + "_" +
                                  Keys()[std::get<1>(info.param)].name;
                         });

}  // namespace
}  // namespace tsfs::fusefs_test
