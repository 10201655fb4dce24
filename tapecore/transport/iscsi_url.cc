#include "tapecore/transport/iscsi_url.h"

#include <charconv>
#include <string_view>

namespace tsfs {
namespace {

constexpr std::string_view kScheme = "iscsi://";
constexpr const char* kForm = "expected iscsi://[user[%secret]@]host[:port]/target-iqn/lun";

Status Bad(const std::string& url, const std::string& why) {
  return Status::Error(ErrorCode::kInvalidArgument,
                       "bad iSCSI URL '" + url + "': " + why + " (" + kForm + ")");
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
    if (pct == std::string_view::npos) return Bad(url, "CHAP user without a secret (user%secret@)");
    out.user = std::string(userinfo.substr(0, pct));
    out.secret = std::string(userinfo.substr(pct + 1));
    if (out.user.empty()) return Bad(url, "empty CHAP user");
    if (out.secret.empty()) return Bad(url, "empty CHAP secret");
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

}  // namespace tsfs
