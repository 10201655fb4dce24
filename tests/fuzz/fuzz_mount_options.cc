// The tsfs command line: arguments separated by NUL bytes, as in
// /proc/PID/cmdline; then the libfuse arguments made from what was accepted
// and the in-place secret masking of each argument.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fusefs/mount_options.h"
#include "tapecore/transport/iscsi_url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args;
  std::string cur;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(static_cast<char>(data[i]));
    }
  }
  args.push_back(cur);

  auto options = tsfs::fusefs::ParseCommandLine(args);
  if (options.ok() && !options->help && !options->version) {
    const std::vector<std::string> fuse = tsfs::fusefs::FuseArguments(*options, "tsfs");
    if (fuse.size() < 3 || fuse[2].rfind("fsname=", 0) != 0) __builtin_trap();
  }
  for (const std::string& a : args) {
    std::vector<char> buf(a.begin(), a.end());
    buf.push_back('\0');
    const size_t before = std::strlen(buf.data());
    tsfs::fusefs::MaskSecretInArgument(buf.data());
    // Masking never grows an argument and leaves only what the redaction leaves.
    if (std::strlen(buf.data()) > before) __builtin_trap();
    if (tsfs::RedactIscsiSecret(buf.data()) != tsfs::RedactIscsiSecret(a)) __builtin_trap();
  }
  return 0;
}
