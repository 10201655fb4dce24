#include "fusefs/attributes.h"

namespace tsfs::fusefs {
namespace {

struct stat Common(const MountStamp& stamp) {
  struct stat st {};
  st.st_uid = stamp.uid;
  st.st_gid = stamp.gid;
  st.st_atim.tv_sec = stamp.time;
  st.st_mtim.tv_sec = stamp.time;
  st.st_ctim.tv_sec = stamp.time;
  st.st_blksize = 1 << 20;  // the best request size for streaming
  return st;
}

}  // namespace

struct stat RootAttributes(const Mount& mount) {
  struct stat st = Common(mount.stamp());
  st.st_ino = mount.inode_base() + 1;
  st.st_mode = S_IFDIR | (mount.options().read_only ? 0555 : 0755);
  st.st_nlink = 2;
  return st;
}

struct stat FileAttributes(const Mount& mount, const FileEntry& entry) {
  struct stat st = Common(mount.stamp());
  st.st_ino = mount.inode_base() + static_cast<ino_t>(entry.index) + 2;
  st.st_mode = S_IFREG | (mount.options().read_only ? 0444 : 0644);
  st.st_nlink = 1;
  st.st_size = static_cast<off_t>(entry.size);
  if (entry.changed != 0) st.st_ctim.tv_sec = entry.changed;
  // Whole 512-byte units, so no tool takes a tape file for a sparse one.
  st.st_blocks = static_cast<blkcnt_t>((entry.size + 511) / 512);
  return st;
}

struct stat LibraryRootAttributes(const FileSystem& fs) {
  struct stat st = Common(fs.stamp());
  st.st_ino = 1;
  // Cartridges are neither made nor removed through the mount.
  st.st_mode = S_IFDIR | 0555;
  st.st_nlink = 2;
  return st;
}

}  // namespace tsfs::fusefs
