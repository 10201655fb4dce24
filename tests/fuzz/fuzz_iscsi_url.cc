// iSCSI source URLs, the secret masking and putting a secret into a URL.
// Input: URL bytes, optionally followed by a NUL and a secret.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tapecore/transport/iscsi_url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string url = input.substr(0, nul);
  const std::string secret = nul == std::string::npos ? "" : input.substr(nul + 1);

  auto parsed = tsfs::ParseIscsiUrl(url);
  if (parsed.ok()) {
    (void)parsed->Portal();
    const std::string redacted = parsed->Redacted();
    if (!parsed->secret.empty() && redacted.find("%***@") == std::string::npos) __builtin_trap();
  }
  const std::string masked = tsfs::RedactIscsiSecret(url);
  if (tsfs::HasInlineChapSecret(url) && masked.find("***") == std::string::npos) __builtin_trap();
  (void)tsfs::ChapUser(url);

  // Any secret put into a URL comes back out of it unchanged.
  auto with = tsfs::WithChapSecret(url, secret);
  if (with.ok()) {
    auto again = tsfs::ParseIscsiUrl(*with);
    if (again.ok() && again->secret != secret) __builtin_trap();
    if (tsfs::HasInlineChapSecret(*with) == false) __builtin_trap();
  }
  return 0;
}
