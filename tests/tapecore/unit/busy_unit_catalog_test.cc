// Catalog() and CatalogFile() while a command holds the unit (here a long
// mt erase: vtape erase=1 takes a second) and no catalog was ever known:
// there is nothing to answer from memory, so the call waits for the
// command and answers from the tape as it is afterwards (erased).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::kOpErase;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

// The ERASE was sent: mt erase holds the unit until the drive is done.
void WaitForTheErase(VtapeUnit& t) {
  for (int i = 0; i < 500 && t.cdbs().Count(kOpErase) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GE(t.cdbs().Count(kOpErase), 1u);
}

TEST(BusyUnitCatalogTest, CatalogWaitsForTheCommandWhenNoneIsKnown) {
  VtapeUnit t("capacity=8M");
  WriteThreeFiles(t.unit());
  t.Reopen("capacity=8M&erase=1");  // the catalog is not known yet
  auto erase = std::async(std::launch::async, [&] { return t->Ioctl(MtOp::kErase, 1); });
  WaitForTheErase(t);
  auto list = t->Catalog();
  ASSERT_TRUE(erase.get().ok());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_TRUE(list->empty());  // after the erase, not the three files
}

TEST(BusyUnitCatalogTest, CatalogFileWaitsForTheCommandWhenNoneIsKnown) {
  VtapeUnit t("capacity=8M");
  WriteThreeFiles(t.unit());
  t.Reopen("capacity=8M&erase=1");
  auto erase = std::async(std::launch::async, [&] { return t->Ioctl(MtOp::kErase, 1); });
  WaitForTheErase(t);
  auto file = t->CatalogFile(0);
  ASSERT_TRUE(erase.get().ok());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_FALSE(file->has_value());  // file 0 is gone with the erase
}

}  // namespace
}  // namespace tsfs
