// ioctl: MTIOCTOP (mt operations) and MTIOCGET (mt status) on the
// directory and on tape files. FUSE passes these restricted ioctls with
// their argument already copied in (mtop) or a buffer to fill (mtget).
#include <span>

#include "fusefs/mtio_codec.h"
#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

int OpIoctl(const char* path, unsigned int cmd, void* /*arg*/, struct fuse_file_info* fi,
            unsigned int flags, void* data) {
  return Guarded([&] {
    if ((flags & FUSE_IOCTL_COMPAT) != 0 && cmd != kMtIocTop) return -ENOTTY;
    OpenFile* file = (flags & FUSE_IOCTL_DIR) != 0 ? nullptr : FileOf(fi);
    Mount* target = file != nullptr ? &file->mount() : nullptr;
    if (target == nullptr) {
      // The directory: of the tape, or of a library's cartridge (a
      // library's root has no drive).
      auto resolved = CurrentFileSystem().Resolve(path != nullptr ? path : "/");
      if (!resolved.ok()) return Reply(resolved.status());
      if (resolved->mount == nullptr) return -ENOTTY;
      target = resolved->mount;
    }
    Mount& mount = *target;
    if (cmd == kMtIocTop) {
      const auto req = DecodeMtop(std::span<const uint8_t>(static_cast<const uint8_t*>(data), 8));
      if (!req) return -EINVAL;
      if (req->count < 0) return -EINVAL;
      const Status done = mount.DriveIoctl(file, req->op, req->count);
      mount.NoticeChanges();  // files written, erased, or another tape
      return Reply(done, OpKind::kMtOp);
    }
    if (cmd == kMtIocGet) {
      auto status = mount.DriveStatus();
      if (!status.ok()) return Reply(status.status(), OpKind::kMtOp);
      EncodeMtget(*status, std::span<uint8_t>(static_cast<uint8_t*>(data), MtgetSize()));
      return 0;
    }
    if (IsBlockDeviceIoctl(cmd)) return -ENXIO;  // no block interface
    return -ENOTTY;
  });
}

}  // namespace tsfs::fusefs
