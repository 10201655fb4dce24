// The process of a requesting thread, read from the real /proc.
#include "fusefs/caller_process.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

namespace tsfs::fusefs {
namespace {

TEST(CallerProcessTest, AThreadMapsToItsProcess) {
  EXPECT_EQ(ProcessOfThread(getpid()), getpid());
  pid_t seen = -1;
  std::thread t([&] { seen = ProcessOfThread(gettid()); });
  t.join();
  EXPECT_EQ(seen, getpid());
}

TEST(CallerProcessTest, NoThreadIsItself) {
  // The kernel's id 0 (a request from no process) and a reaped process.
  EXPECT_EQ(ProcessOfThread(0), 0);
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  EXPECT_EQ(ProcessOfThread(child), child);
}

}  // namespace
}  // namespace tsfs::fusefs
