// What scripts rely on in tstape: options before the command, --json output
// (checked by python3's json module against the schema of tstape(1)), exit
// codes, and progress lines only on a terminal (a pty made by script(1)).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tstape_runner.h"

namespace tsfs {
namespace {

using testing::CommandResult;
using testing::Has;
using testing::Tstape;

std::string TstapeBinary() { return std::string(TSFS_BINARY_DIR) + "/tapecore/tstape/tstape"; }

CommandResult Sh(const std::string& command) {
  auto r = testing::RunCommand({"/bin/sh", "-c", command}, std::chrono::seconds(60));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : CommandResult{};
}

class TstapeScriptingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = testing::TempDir::Create("tsfs-scripting");
    ASSERT_TRUE(dir.ok());
    dir_ = std::make_unique<testing::TempDir>(std::move(*dir));
    tape_ = dir_->File("t.tap");
    ASSERT_EQ(Tstape({"mkvtape", tape_}).exit_code, 0);
    conf_ = dir_->File("tsbconf.conf");
    ASSERT_TRUE(Sh("printf '[unit.2]\\ndevice = vtape:" + tape_ + "\\n' > " + conf_).exit_code ==
                0);
  }
  // Runs python3 on `script` with the command's stdout (stderr apart) as stdin.
  CommandResult Json(const std::string& tstape_args, const std::string& script) {
    return Sh(TstapeBinary() + " " + tstape_args + " 2>" + dir_->File("err") +
              " | python3 -c 'import json,sys; d=json.load(sys.stdin); " + script + "'");
  }
  std::unique_ptr<testing::TempDir> dir_;
  std::string tape_, conf_;
};

TEST_F(TstapeScriptingTest, OptionsBeforeTheCommandAreTheCommandsOptions) {
  ASSERT_EQ(Sh("head -c 1000 /dev/zero > " + dir_->File("in")).exit_code, 0);
  auto w = Tstape({"--config", conf_, "write", "rts2", dir_->File("in")});
  ASSERT_EQ(w.exit_code, 0) << w.output;
  auto before = Tstape({"--config", conf_, "list", "rts2"});
  EXPECT_EQ(before.exit_code, 0) << before.output;
  EXPECT_TRUE(Has(before.output, "    0            2           1024")) << before.output;
  auto eq_form = Tstape({"--config=" + conf_, "--quiet", "list", "rts2"});
  EXPECT_EQ(eq_form.output, before.output);
  auto after = Tstape({"list", "rts2", "--config", conf_});
  EXPECT_EQ(after.output, before.output);
  // Still usage errors, with exit status 2.
  EXPECT_EQ(Tstape({"--bogus", "list", "rts2"}).exit_code, 2);
  EXPECT_EQ(Tstape({"--config"}).exit_code, 2);
  EXPECT_EQ(Tstape({"--config", conf_}).exit_code, 2);
  auto refused = Tstape({"--json", "mkvtape", dir_->File("x.tap")});  // mkvtape has no --json
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  // A unit that is not in the file is a tape/target error: 1.
  EXPECT_EQ(Tstape({"--config", conf_, "list", "rts3"}).exit_code, 1);
}

TEST_F(TstapeScriptingTest, ListJsonHasNumbersForEveryFile) {
  ASSERT_EQ(Sh("head -c 70001 /dev/zero > " + dir_->File("a")).exit_code, 0);
  ASSERT_EQ(Tstape({"write", tape_, dir_->File("a")}).exit_code, 0);
  ASSERT_EQ(Tstape({"write", tape_, dir_->File("a")}).exit_code, 0);
  auto r = Json("--json list " + tape_,
                "f=d[\"files\"]; assert d[\"source\"]==\"" + tape_ +
                    "\"; assert d[\"block_size\"]==512; assert len(f)==2, f; "
                    "assert [x[\"index\"] for x in f]==[0,1]; "
                    "assert all(x[\"blocks\"]==137 and x[\"bytes\"]==70144 and "
                    "x[\"size_known\"] is True and x[\"complete\"] is True for x in f), f; "
                    "print(\"ok\")");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "ok\n");
  // A blank tape: an empty list, still an object.
  ASSERT_EQ(Tstape({"mkvtape", "--force", tape_}).exit_code, 0);
  r = Json("list --json " + tape_, "assert d[\"files\"]==[]; print(\"ok\")");
  EXPECT_EQ(r.output, "ok\n") << r.output;
}

TEST_F(TstapeScriptingTest, StatusAndInquiryJson) {
  auto r = Json("status --json " + tape_,
                "assert d[\"online\"] is True; assert type(d[\"block_size\"]) is int; "
                "assert d[\"write_protect\"] is False; p=d[\"position\"]; "
                "assert p[\"block\"]==0 and p[\"bot\"] is True and p[\"early_warning\"] is False; "
                "assert d[\"device\"].startswith(\"vtape:\"); print(\"ok\")");
  EXPECT_EQ(r.output, "ok\n") << r.output;
  r = Json("--config " + conf_ + " inquiry rts2 --json",
           "assert d[\"vendor\"]==\"TSFS\"; assert d[\"block_size\"]==512; "
           "l=d[\"block_limits\"]; assert type(l[\"min\"]) is int and l[\"max\"]>=l[\"min\"]; "
           "c=d[\"capabilities\"]; assert c[\"read_position_trusted\"] is True; "
           "assert c[\"capacity\"][\"maximum_bytes\"]==44*1024*1024; "
           "assert c[\"quirks\"]==[] and c[\"known_target\"]==\"\"; print(\"ok\")");
  EXPECT_EQ(r.output, "ok\n") << r.output;
  r = Json("inquiry --no-probe --json " + tape_,
           "assert d[\"capabilities\"] is None; print(\"ok\")");
  EXPECT_EQ(r.output, "ok\n") << r.output;
}

// Not a terminal (a file, a pipe): no progress line, whatever the size.
TEST_F(TstapeScriptingTest, NoProgressWhenStderrIsNotATerminal) {
  ASSERT_EQ(Sh("head -c 3000000 /dev/urandom > " + dir_->File("big")).exit_code, 0);
  auto w =
      Sh(TstapeBinary() + " write " + tape_ + " " + dir_->File("big") + " 2>" + dir_->File("err"));
  ASSERT_EQ(w.exit_code, 0) << w.output;
  auto r = Sh(TstapeBinary() + " read " + tape_ + " 0 " + dir_->File("back") + " 2>" +
              dir_->File("err2") + "; " + TstapeBinary() + " mt " + tape_ + " erase 2>>" +
              dir_->File("err2") + "; cat " + dir_->File("err") + " " + dir_->File("err2"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  // The unit's log lines ("erasing the whole tape") may be there; no progress.
  EXPECT_FALSE(Has(r.output, "\r")) << r.output;
  EXPECT_FALSE(Has(r.output, "MiB")) << r.output;
  EXPECT_FALSE(Has(r.output, "elapsed")) << r.output;
  EXPECT_FALSE(Has(r.output, "done")) << r.output;
}

// On a terminal (script(1) gives the command a pty): a progress line with
// bytes and rate, ETA while a known size is under way, then a last line; none
// with --quiet.
TEST_F(TstapeScriptingTest, ProgressOnATerminalUnlessQuiet) {
  ASSERT_EQ(Sh("head -c 3000000 /dev/urandom > " + dir_->File("big")).exit_code, 0);
  auto pty = [&](const std::string& args) {
    return Sh("script -qec '" + TstapeBinary() + " " + args + "' /dev/null");
  };
  auto w = pty("write " + tape_ + " " + dir_->File("big"));
  ASSERT_EQ(w.exit_code, 0) << w.output;
  EXPECT_TRUE(Has(w.output, "\rwrite 2.9 MiB ")) << w.output;
  EXPECT_TRUE(Has(w.output, "MB/s  in 0:")) << w.output;
  auto r = pty("read " + tape_ + " 0 " + dir_->File("back"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Has(r.output, "\rread 2.9 MiB ")) << r.output;
  EXPECT_EQ(Sh("cmp -n 3000000 " + dir_->File("big") + " " + dir_->File("back")).exit_code, 0);
  auto e = pty("mt " + tape_ + " erase");
  ASSERT_EQ(e.exit_code, 0) << e.output;
  EXPECT_TRUE(Has(e.output, "\rerase: 0:0")) << e.output;
  EXPECT_TRUE(Has(e.output, " done")) << e.output;

  auto quiet = pty("write --quiet " + tape_ + " " + dir_->File("big"));
  ASSERT_EQ(quiet.exit_code, 0) << quiet.output;
  EXPECT_FALSE(Has(quiet.output, "MiB")) << quiet.output;
  EXPECT_TRUE(Has(quiet.output, "file 0: 3000000 bytes")) << quiet.output;
  quiet = pty("-q mt " + tape_ + " erase");
  EXPECT_EQ(quiet.exit_code, 0) << quiet.output;
  EXPECT_FALSE(Has(quiet.output, "erase: ")) << quiet.output;
}

}  // namespace
}  // namespace tsfs
