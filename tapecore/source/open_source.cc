#include "tapecore/source/open_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "tapecore/transport/iscsi_transport.h"
#include "tapecore/transport/sg_transport.h"
#include "tapecore/vtape/vtape_transport.h"

namespace tsfs {
namespace {

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool EndsWith(const std::string& s, const char* suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

constexpr const char* kForms =
    "iscsi://[user%secret@]host[:port]/iqn/lun, /dev/sgN, /dev/nstN, vtape:/path/image.tap or "
    "/path/image.tap";

}  // namespace

Result<std::unique_ptr<Transport>> OpenSource(const std::string& source) {
  if (source.empty()) {
    return Status::Error(ErrorCode::kInvalidArgument,
                         std::string("empty tape source; expected one of ") + kForms);
  }
  if (StartsWith(source, "iscsi://")) {
    TSFS_ASSIGN_OR_RETURN(auto t, IscsiTransport::Open(source));
    return std::unique_ptr<Transport>(std::move(t));
  }
  if (StartsWith(source, "vtape:") || EndsWith(source, ".tap")) return OpenVtapeTransport(source);
  // Any other path: a device node (/dev/sg1, /dev/nst0, /dev/tape/by-id/...).
  if (StartsWith(source, "/dev/") || source.find('/') != std::string::npos) {
    struct stat st {};
    if (::stat(source.c_str(), &st) != 0 && errno == ENOENT) {
      return Status::Error(ErrorCode::kNotFound, "tape source " + source + " does not exist");
    }
    TSFS_ASSIGN_OR_RETURN(auto t, SgTransport::Open(source));
    return std::unique_ptr<Transport>(std::move(t));
  }
  return Status::Error(ErrorCode::kInvalidArgument,
                       "unknown tape source '" + source + "'; expected one of " + kForms);
}

}  // namespace tsfs
