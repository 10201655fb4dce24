// IscsiUrl: the parts of an iscsi://[user[%secret]@]host[:port]/iqn/lun source.
//
// Parsed here rather than by libiscsi's iscsi_parse_full_url so errors name
// the exact problem and nothing is read from the environment
// (libiscsi also takes CHAP credentials from LIBISCSI_CHAP_* variables).
// The secret is %XX-decoded (a literal '%' in it is written %25), so any
// secret, also one read from a file, fits in the URL (WithChapSecret).
// A plain value type; thread-safe to copy and read.
#pragma once

#include <cstdint>
#include <string>

#include "tapecore/status.h"

namespace tsfs {

inline constexpr uint16_t kIscsiDefaultPort = 3260;

struct IscsiUrl {
  std::string host;  // name or address; an IPv6 address without its brackets
  uint16_t port = kIscsiDefaultPort;
  std::string target;  // target IQN, %XX escapes decoded
  int lun = 0;
  std::string user;    // CHAP user; empty: no authentication
  std::string secret;  // CHAP secret

  // "host:port" or "[v6]:port", as libiscsi wants the portal.
  std::string Portal() const;
  // The URL again without the secret (for messages and Describe()).
  std::string Redacted() const;
};

// kInvalidArgument with the reason and the accepted form when `url` is
// malformed. A CHAP user without a secret is refused with the ways to give one.
// The message never holds the secret.
Result<IscsiUrl> ParseIscsiUrl(const std::string& url);

// `source` with the CHAP secret of an iscsi:// URL replaced by "***"; any other
// string, well-formed or not, unchanged. For every message, log line and the
// file-system name (what /proc/mounts shows).
std::string RedactIscsiSecret(std::string_view source);

// True when `source` is an iscsi:// URL that carries a secret (user%secret@).
bool HasInlineChapSecret(std::string_view source);

// The CHAP user of an iscsi:// URL ("" when none or not an iscsi:// URL).
std::string ChapUser(std::string_view source);

// `url` (iscsi://user@host/...) with `secret` put in, %XX-escaped:
// iscsi://user%secret@host/... kInvalidArgument when `url` is not an iscsi://
// URL with a CHAP user, already carries a secret, or `secret` is empty or
// holds a NUL byte.
Result<std::string> WithChapSecret(const std::string& url, const std::string& secret);

}  // namespace tsfs
