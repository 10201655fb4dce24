#include "fusefs/caller_process.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "fusefs/fuse_api.h"

namespace tsfs::fusefs {

pid_t ProcessOfThread(pid_t tid) {
  if (tid <= 0) return tid;
  std::ifstream in("/proc/" + std::to_string(tid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, 5, "Tgid:") != 0) continue;
    const long tgid = std::strtol(line.c_str() + 5, nullptr, 10);
    return tgid > 0 ? static_cast<pid_t>(tgid) : tid;
  }
  return tid;
}

pid_t CallerProcess() {
  const struct fuse_context* ctx = fuse_get_context();
  return ctx == nullptr ? 0 : ProcessOfThread(ctx->pid);
}

}  // namespace tsfs::fusefs
