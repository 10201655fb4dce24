// IscsiUrl: the parts of an iscsi://[user[%secret]@]host[:port]/iqn/lun source.
//
// Parsed here rather than by libiscsi's iscsi_parse_full_url so errors name
// the exact problem and nothing is read from the environment
// (libiscsi also takes CHAP credentials from LIBISCSI_CHAP_* variables).
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

// kInvalidArgument with the reason and the accepted form when `url` is malformed.
Result<IscsiUrl> ParseIscsiUrl(const std::string& url);

}  // namespace tsfs
