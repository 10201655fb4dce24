#include "tapecore/transport/sg_transport.h"

#include <fcntl.h>
#include <scsi/sg.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

extern "C" {
#include <scsi/sg_pt.h>
}

namespace tsfs {
namespace {

constexpr size_t kSenseBufferSize = 64;

Status OsError(const std::string& path, const std::string& what, int err) {
  ErrorCode code = ErrorCode::kIo;
  if (err == ENOENT || err == ENXIO || err == ENODEV) code = ErrorCode::kNotFound;
  if (err == EACCES || err == EPERM) code = ErrorCode::kPermission;
  return Status::Error(code, what + " " + path + ": " + std::strerror(err));
}

struct PtObjFree {
  void operator()(sg_pt_base* p) const { destruct_scsi_pt_obj(p); }
};

}  // namespace

Result<std::unique_ptr<SgTransport>> SgTransport::Open(const std::string& given,
                                                       const SgOptions& options) {
  struct stat st {};
  if (::stat(given.c_str(), &st) != 0) return OsError(given, "cannot open", errno);
  if (!S_ISCHR(st.st_mode)) {
    return Status::Error(ErrorCode::kInvalidArgument,
                         given +
                             " is not a SCSI generic device (not a character device; use "
                             "/dev/sgN or /dev/nstN)");
  }
  TSFS_ASSIGN_OR_RETURN(SgNode node, ResolveSgNode(given, options.sysfs_root, options.dev_dir));
  const std::string& path = node.path;
  int fd = scsi_pt_open_device(path.c_str(), /*read_only=*/false, /*verbose=*/0);
  if (fd < 0) return OsError(path, "cannot open", -fd);
  int version = 0;
  if (::ioctl(fd, SG_GET_VERSION_NUM, &version) != 0) {
    int err = errno;
    scsi_pt_close_device(fd);
    return Status::Error(ErrorCode::kInvalidArgument,
                         path + " is not a SCSI generic device (SG_GET_VERSION_NUM: " +
                             std::strerror(err) + "; use /dev/sgN or /dev/nstN)");
  }
  return std::unique_ptr<SgTransport>(new SgTransport(std::move(node), fd));
}

std::string SgTransport::Describe() const {
  if (node_.tape_node.empty()) return path_;
  return path_ + " (" + node_.tape_node + ")";
}

SgTransport::~SgTransport() { scsi_pt_close_device(fd_); }

Result<ScsiResponse> SgTransport::Execute(Cdb cdb, DataBuffer data,
                                          std::chrono::milliseconds timeout) {
  if (cdb.empty() || cdb.size() > 16) {
    return Status::Error(ErrorCode::kInvalidArgument,
                         "CDB length " + std::to_string(cdb.size()) + " not in 1..16");
  }
  if (data.length > static_cast<size_t>(INT_MAX)) {
    return Status::Error(ErrorCode::kInvalidArgument, "data phase too large for one command");
  }
  std::unique_ptr<sg_pt_base, PtObjFree> obj(construct_scsi_pt_obj());
  if (obj == nullptr) return Status::Error(ErrorCode::kNoMemory, "cannot allocate an sg_pt object");
  uint8_t sense[kSenseBufferSize] = {};
  set_scsi_pt_cdb(obj.get(), cdb.data(), static_cast<int>(cdb.size()));
  set_scsi_pt_sense(obj.get(), sense, sizeof(sense));
  const int length = static_cast<int>(data.length);
  if (data.direction == DataDirection::kIn && length > 0) {
    set_scsi_pt_data_in(obj.get(), data.data, length);
  } else if (data.direction == DataDirection::kOut && length > 0) {
    set_scsi_pt_data_out(obj.get(), data.data, length);
  }
  // sg_pt takes whole seconds; round up, at least 1.
  int64_t secs = (timeout.count() + 999) / 1000;
  int timeout_secs = static_cast<int>(std::clamp<int64_t>(secs, 1, INT_MAX / 1000));

  int res = do_scsi_pt(obj.get(), fd_, timeout_secs, /*verbose=*/0);
  if (res < 0) return OsError(path_, "SG_IO on", -res).WithCode(ErrorCode::kTransport);
  if (res == SCSI_PT_DO_TIMEOUT) {
    return Status::Error(ErrorCode::kTransport, path_ + ": no answer within the timeout");
  }
  if (res != 0) {
    return Status::Error(ErrorCode::kTransport,
                         path_ + ": SG_IO refused the command (" + std::to_string(res) + ")");
  }
  char text[256] = {};
  switch (get_scsi_pt_result_category(obj.get())) {
    case SCSI_PT_RESULT_TRANSPORT_ERR:
      get_scsi_pt_transport_err_str(obj.get(), sizeof(text), text);
      return Status::Error(ErrorCode::kTransport, path_ + ": transport error: " + text);
    case SCSI_PT_RESULT_OS_ERR:
      get_scsi_pt_os_err_str(obj.get(), sizeof(text), text);
      return Status::Error(ErrorCode::kTransport, path_ + ": " + text);
    default:
      break;
  }
  ScsiResponse response;
  response.status = static_cast<uint8_t>(get_scsi_pt_status_response(obj.get()));
  int sense_len = std::clamp(get_scsi_pt_sense_len(obj.get()), 0, static_cast<int>(sizeof(sense)));
  if (response.status == kScsiCheckCondition) response.sense.assign(sense, sense + sense_len);
  response.transport_residual = static_cast<size_t>(std::max(0, get_scsi_pt_resid(obj.get())));
  return response;
}

}  // namespace tsfs
