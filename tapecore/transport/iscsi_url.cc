#include "tapecore/transport/iscsi_url.h"

#include <charconv>
#include <optional>
#include <string_view>
#include <utility>

namespace tsfs {
namespace {

constexpr std::string_view kScheme = "iscsi://";
constexpr const char* kForm = "expected iscsi://[user[%secret]@]host[:port]/target-iqn/lun";

Status Bad(const std::string& url, const std::string& why) {
  return Status::Error(ErrorCode::kInvalidArgument, "bad iSCSI URL '" + RedactIscsiSecret(url) +
                                                        "': " + why + " (" + kForm + ")");
}

// libiscsi keeps at most 255 bytes of each (MAX_STRING_SIZE) and cuts silently.
constexpr size_t kMaxChapField = 255;

constexpr const char* kSecretWays =
    "give it in a file only root can read (-o chap_secret_file=PATH or the tsbconf key "
    "chap-secret-file) or in the environment (TSFS_CHAP_SECRET)";

// The user part of `source`: [begin, at) where `at` is the '@' ending the
// authority (as ParseIscsiUrl sees it). nullopt when there is none.
struct UserinfoSpan {
  size_t begin;
  size_t at;
};
std::optional<UserinfoSpan> FindUserinfo(std::string_view source) {
  if (source.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  const size_t slash = source.find('/', kScheme.size());
  const std::string_view authority = source.substr(
      kScheme.size(), slash == std::string_view::npos ? source.npos : slash - kScheme.size());
  const size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  return UserinfoSpan{kScheme.size(), kScheme.size() + at};
}

// Where RedactIscsiSecret masks: [first, second) of `source`. Wider than the
// parser on purpose: the secret runs from the first '%' of the user part to
// the last '@' anywhere, so even a URL the parser refuses (a raw '/' in the
// secret) is masked. Over-masking a message is harmless.
std::optional<std::pair<size_t, size_t>> SecretSpan(std::string_view source) {
  if (source.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  const size_t at = source.rfind('@');  // past the scheme when found: it holds no '@'
  if (at == std::string_view::npos) return std::nullopt;
  const size_t pct = source.find('%', kScheme.size());
  if (pct == std::string_view::npos || pct >= at) return std::nullopt;
  return std::make_pair(pct + 1, at);
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// libiscsi writes ':' in target names as %3A; accept both.
bool PercentDecode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = HexValue(in[i + 1]);
    int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

template <typename T>
bool ParseNumber(std::string_view s, T* value) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *value);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::string IscsiUrl::Portal() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

std::string IscsiUrl::Redacted() const {
  std::string auth = user.empty() ? "" : user + "%***@";
  return std::string(kScheme) + auth + Portal() + "/" + target + "/" + std::to_string(lun);
}

Result<IscsiUrl> ParseIscsiUrl(const std::string& url) {
  std::string_view rest(url);
  if (rest.substr(0, kScheme.size()) != kScheme) return Bad(url, "it does not start with iscsi://");
  rest.remove_prefix(kScheme.size());
  IscsiUrl out;

  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return Bad(url, "no target IQN");
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = rest.substr(slash + 1);

  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    size_t pct = userinfo.find('%');
    out.user = std::string(userinfo.substr(0, pct));
    if (out.user.empty()) return Bad(url, "empty CHAP user");
    if (pct == std::string_view::npos) {
      return Bad(url, "CHAP user '" + out.user + "' has no secret: " + kSecretWays);
    }
    if (!PercentDecode(userinfo.substr(pct + 1), &out.secret)) {
      return Bad(url, "bad %XX escape in the CHAP secret (write a '%' in it as %25)");
    }
    if (out.secret.empty()) return Bad(url, "empty CHAP secret");
    if (out.user.size() > kMaxChapField || out.secret.size() > kMaxChapField) {
      return Bad(url,
                 "CHAP user or secret longer than " + std::to_string(kMaxChapField) + " bytes");
    }
    if (out.secret.find('\0') != std::string::npos) return Bad(url, "NUL byte in the CHAP secret");
  }

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Bad(url, "unterminated [IPv6 address]");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Bad(url, "junk after ]");
      port_text = after.substr(1);
      if (port_text.empty()) return Bad(url, "empty port");
    }
  } else {
    size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return Bad(url, "empty port");
    }
  }
  if (out.host.empty()) return Bad(url, "no host");
  if (!port_text.empty()) {
    unsigned port = 0;
    if (!ParseNumber(port_text, &port) || port == 0 || port > 65535) {
      return Bad(url, "port '" + std::string(port_text) + "' is not a number in 1..65535");
    }
    out.port = static_cast<uint16_t>(port);
  }

  size_t lun_slash = path.rfind('/');
  if (lun_slash == std::string_view::npos) return Bad(url, "no LUN after the target IQN");
  std::string_view target = path.substr(0, lun_slash);
  std::string_view lun_text = path.substr(lun_slash + 1);
  if (target.empty()) return Bad(url, "empty target IQN");
  if (!PercentDecode(target, &out.target)) return Bad(url, "bad %XX escape in the target IQN");
  if (out.target.find('/') != std::string::npos) return Bad(url, "'/' in the target IQN");
  int lun = 0;
  if (!ParseNumber(lun_text, &lun) || lun < 0 || lun > 16383) {
    return Bad(url, "LUN '" + std::string(lun_text) + "' is not a number in 0..16383");
  }
  out.lun = lun;
  return out;
}

std::string RedactIscsiSecret(std::string_view source) {
  const auto span = SecretSpan(source);
  if (!span) return std::string(source);
  return std::string(source.substr(0, span->first)) + "***" +
         std::string(source.substr(span->second));
}

bool HasInlineChapSecret(std::string_view source) { return SecretSpan(source).has_value(); }

std::string ChapUser(std::string_view source) {
  const auto span = FindUserinfo(source);
  if (!span) return "";
  const std::string_view userinfo = source.substr(span->begin, span->at - span->begin);
  return std::string(userinfo.substr(0, userinfo.find('%')));
}

Result<std::string> WithChapSecret(const std::string& url, const std::string& secret) {
  const auto span = FindUserinfo(url);
  if (!span || span->at == span->begin) {
    return Status::Error(ErrorCode::kInvalidArgument,
                         "a CHAP secret was given, but " + RedactIscsiSecret(url) +
                             " names no CHAP user (iscsi://user@host/target-iqn/lun)");
  }
  if (url.substr(span->begin, span->at - span->begin).find('%') != std::string::npos) {
    return Status::Error(ErrorCode::kInvalidArgument,
                         "two CHAP secrets: " + RedactIscsiSecret(url) +
                             " has one in it and another was given; keep only the one "
                             "outside the URL");
  }
  if (secret.empty()) return Status::Error(ErrorCode::kInvalidArgument, "empty CHAP secret");
  if (secret.find('\0') != std::string::npos) {
    return Status::Error(ErrorCode::kInvalidArgument, "NUL byte in the CHAP secret");
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string escaped;
  for (unsigned char c : secret) {
    if (IsUnreserved(c)) {
      escaped += static_cast<char>(c);
    } else {
      escaped += '%';
      escaped += kHex[c >> 4];
      escaped += kHex[c & 0xF];
    }
  }
  return url.substr(0, span->at) + "%" + escaped + url.substr(span->at);
}

}  // namespace tsfs
