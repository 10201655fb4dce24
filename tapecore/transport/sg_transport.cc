#include "tapecore/transport/sg_transport.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <scsi/sg.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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

// Used when the kernel and sysfs name no smaller limit; also the most the
// reserved buffer is raised to.
constexpr size_t kDefaultMaxTransfer = 4u << 20;

// The transfer limit of the open sg device `fd` (see the class comment).
TransferLimit SgTransferLimit(int fd, const std::string& sysfs_root) {
  const long page = ::sysconf(_SC_PAGESIZE);
  const size_t page_size = page > 0 ? static_cast<size_t>(page) : 4096;
  TransferLimit limit;
  limit.max_bytes = kDefaultMaxTransfer;
  auto take = [&limit](int64_t bytes, const std::string& what) {
    if (bytes <= 0) return;
    if (!limit.source.empty()) limit.source += ", ";
    limit.source += what + " " + std::to_string(bytes);
    limit.max_bytes = std::min(limit.max_bytes, static_cast<size_t>(bytes));
  };
  int value = 0;
  if (::ioctl(fd, BLKSECTGET, &value) == 0) take(value, "max_sectors");
  value = 0;
  if (::ioctl(fd, SG_GET_SG_TABLESIZE, &value) == 0 && value > 0) {
    take(static_cast<int64_t>(value) * static_cast<int64_t>(page_size),
         "sg_tablesize " + std::to_string(value) + " x " + std::to_string(page_size) + " =");
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    const std::string sg_name = "sg" + std::to_string(minor(st.st_rdev));
    SysfsTransferLimits sysfs = ReadSysfsTransferLimits(sysfs_root, sg_name, page_size);
    if (sysfs.max_bytes > 0) {
      limit.max_bytes = std::min(limit.max_bytes, sysfs.max_bytes);
      limit.source += (limit.source.empty() ? "sysfs " : ", sysfs ") + sysfs.source;
    }
  }
  // Ask for a reserved buffer of that size; the kernel caps it by its own
  // rules (and may lack the memory), so read back what it granted.
  int reserved = static_cast<int>(std::min<size_t>(limit.max_bytes, INT_MAX));
  (void)::ioctl(fd, SG_SET_RESERVED_SIZE, &reserved);
  reserved = 0;
  if (::ioctl(fd, SG_GET_RESERVED_SIZE, &reserved) == 0) take(reserved, "sg reserved");
  return limit;
}

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
  TransferLimit limit = SgTransferLimit(fd, options.sysfs_root);
  return std::unique_ptr<SgTransport>(new SgTransport(std::move(node), fd, std::move(limit)));
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
  if (data.length > static_cast<size_t>(INT_MAX) || data.length > limit_.max_bytes) {
    // The kernel would answer EINVAL; say which limit instead.
    return Status::Error(ErrorCode::kInvalidArgument,
                         path_ + ": a data phase of " + std::to_string(data.length) +
                             " bytes is larger than the device takes in one command (" +
                             std::to_string(limit_.max_bytes) + " bytes: " + limit_.source + ")");
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
