#include "tapecore/unit/stream_buffers.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace tsfs {
namespace {

TEST(StreamBuffersTest, TwoBuffersOfTheGivenSize) {
  auto b = StreamBuffers::Allocate(64 * 1024, /*openfail=*/true);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ((*b)->size(), 64u * 1024);
  EXPECT_NE((*b)->buffer(0).data(), (*b)->buffer(1).data());
  (*b)->buffer(0)[0] = 1;
  (*b)->buffer(1)[64 * 1024 - 1] = 2;
}

TEST(StreamBuffersTest, OpenfailGivesNoMemoryAtOnce) {
  int calls = 0;
  auto b = StreamBuffers::Allocate(
      4096, /*openfail=*/true, {},
      [&](size_t) -> void* {
        ++calls;
        return nullptr;
      },
      [](void*, size_t) {});
  EXPECT_EQ(b.status().code(), ErrorCode::kNoMemory);
  EXPECT_EQ(calls, 1);
}

TEST(StreamBuffersTest, WithoutOpenfailWaitsUntilMemoryIsThere) {
  int calls = 0, waits = 0, frees = 0;
  auto b = StreamBuffers::Allocate(
      4096, /*openfail=*/false, [&] { ++waits; },
      [&](size_t n) -> void* { return ++calls <= 3 ? nullptr : std::malloc(n); },
      [&](void* p, size_t) {
        ++frees;
        std::free(p);
      });
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(waits, 1);  // said once
  EXPECT_EQ(calls, 5);  // three failures, then both buffers
  b->reset();
  EXPECT_EQ(frees, 2);  // released at close
}

}  // namespace
}  // namespace tsfs
