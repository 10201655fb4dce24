// Parsing of vtape source strings and fault rules.
#include "tapecore/vtape/vtape_options.h"

#include <gtest/gtest.h>

namespace tsfs::vtape {
namespace {

TEST(VtapeOptionsTest, Defaults) {
  auto o = ParseVtapeSpec("vtape:/tmp/t.tap");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->path, "/tmp/t.tap");
  EXPECT_EQ(o->capacity, 44ull << 20);
  EXPECT_EQ(o->early_warning, 1ull << 20);
  EXPECT_FALSE(o->read_only);
  EXPECT_TRUE(o->faults.empty());
  EXPECT_EQ(o->rate_mb_s, 0);
}

TEST(VtapeOptionsTest, PlainPath) {
  auto o = ParseVtapeSpec("/srv/tapes/t1.tap");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->path, "/srv/tapes/t1.tap");
}

TEST(VtapeOptionsTest, EveryOption) {
  auto o = ParseVtapeSpec(
      "vtape:/p/t.tap?capacity=10M&ew=512K&ro&create&poweron&fail=write@1200:medium*3,read@5:"
      "hardware&rate=80&drivebuf=64&delay");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->capacity, 10ull << 20);
  EXPECT_EQ(o->early_warning, 512ull << 10);
  EXPECT_TRUE(o->read_only);
  EXPECT_TRUE(o->create);
  EXPECT_TRUE(o->power_on_attention);
  ASSERT_EQ(o->faults.size(), 2u);
  EXPECT_EQ(o->faults[0].command, FaultCommand::kWrite);
  EXPECT_EQ(o->faults[0].block, 1200u);
  EXPECT_EQ(o->faults[0].key, FaultKey::kMedium);
  EXPECT_EQ(o->faults[0].times, 3u);
  EXPECT_EQ(o->faults[1].command, FaultCommand::kRead);
  EXPECT_EQ(o->faults[1].block, 5u);
  EXPECT_EQ(o->faults[1].key, FaultKey::kHardware);
  EXPECT_EQ(o->faults[1].times, 1u);
  EXPECT_DOUBLE_EQ(o->rate_mb_s, 80);
  EXPECT_EQ(o->drive_buffer, 64ull << 20);
  EXPECT_DOUBLE_EQ(o->delay_ms, 2);
}

TEST(VtapeOptionsTest, SmallCapacityShrinksDefaultEarlyWarning) {
  auto o = ParseVtapeSpec("vtape:/t.tap?capacity=64K");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->early_warning, 32ull << 10);
}

TEST(VtapeOptionsTest, UnknownOptionIsNamed) {
  auto o = ParseVtapeSpec("vtape:/t.tap?capacity=1M&colour=blue");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(o.status().message().find("colour"), std::string::npos);
}

TEST(VtapeOptionsTest, MalformedValues) {
  for (const char* spec :
       {"vtape:/t.tap?capacity=lots", "vtape:/t.tap?capacity=", "vtape:/t.tap?capacity=0",
        "vtape:/t.tap?ew=2M&capacity=1M", "vtape:/t.tap?ro=1", "vtape:/t.tap?rate=-3",
        "vtape:/t.tap?fail=write", "vtape:/t.tap?fail=write@x:medium",
        "vtape:/t.tap?fail=fly@1:medium", "vtape:/t.tap?fail=read@1:boom",
        "vtape:/t.tap?fail=read@1:medium*z", "vtape:", "vtape:?ro"}) {
    auto o = ParseVtapeSpec(spec);
    EXPECT_FALSE(o.ok()) << spec;
    EXPECT_EQ(o.status().code(), ErrorCode::kInvalidArgument) << spec;
  }
}

TEST(VtapeOptionsTest, Sizes) {
  EXPECT_EQ(*ParseSize("512", "x"), 512u);
  EXPECT_EQ(*ParseSize("4k", "x"), 4096u);
  EXPECT_EQ(*ParseSize("44M", "x"), 44ull << 20);
  EXPECT_EQ(*ParseSize("2GiB", "x"), 2ull << 30);
  EXPECT_EQ(*ParseSize("1TB", "x"), 1ull << 40);
  EXPECT_EQ(*ParseSize("512B", "x"), 512u);
  EXPECT_FALSE(ParseSize("M", "x").ok());
  EXPECT_FALSE(ParseSize("1.5M", "x").ok());
  EXPECT_FALSE(ParseSize("99999999999999T", "x").ok());
}

TEST(VtapeOptionsTest, FaultRuleNames) {
  auto rules = ParseFaultRules("tur@0:unitattention*0,locate@7:notready");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].times, 0u);
  EXPECT_STREQ(FaultCommandName((*rules)[1].command), "locate");
  EXPECT_STREQ(FaultKeyName((*rules)[1].key), "notready");
}

TEST(FaultInjectorTest, FiresAtOrAfterTheBlockNTimes) {
  FaultInjector f({{FaultCommand::kWrite, 10, FaultKey::kMedium, 2}});
  uint64_t good = 99;
  EXPECT_FALSE(f.Check(FaultCommand::kWrite, 0, 10, &good));  // blocks 0..9
  EXPECT_FALSE(f.Check(FaultCommand::kRead, 10, 1, &good));   // another command
  auto hit = f.Check(FaultCommand::kWrite, 5, 10, &good);     // spans block 10
  ASSERT_TRUE(hit);
  EXPECT_EQ(good, 5u);
  EXPECT_EQ(hit->key, SenseKey::kMediumError);
  EXPECT_EQ(hit->asc, 0x0C);
  ASSERT_TRUE(f.Check(FaultCommand::kWrite, 20, 1, &good));
  EXPECT_EQ(good, 0u);
  EXPECT_FALSE(f.Check(FaultCommand::kWrite, 20, 1, &good));  // used up
}

TEST(FaultInjectorTest, StarZeroIsForever) {
  FaultInjector f({{FaultCommand::kTur, 0, FaultKey::kNotReady, 0}});
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(f.Check(FaultCommand::kTur, 0, 1, nullptr));
}

}  // namespace
}  // namespace tsfs::vtape
