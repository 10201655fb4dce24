// The FUSE operation table of tsfs and one declaration per handler; each
// handler lives in its own op_*.cc and is a thin translation: path and
// fuse_file_info in, one Mount/OpenFile call, errno out (errno_map).
#pragma once

#include <sys/stat.h>
#include <sys/statvfs.h>

#include "fusefs/fuse_api.h"

namespace tsfs::fusefs {

struct fuse_operations MakeOperations();

void* OpInit(struct fuse_conn_info* conn, struct fuse_config* cfg);
void OpDestroy(void* private_data);
int OpGetattr(const char* path, struct stat* st, struct fuse_file_info* fi);
int OpOpendir(const char* path, struct fuse_file_info* fi);
int OpReleasedir(const char* path, struct fuse_file_info* fi);
int OpReaddir(const char* path, void* buf, fuse_fill_dir_t filler, off_t offset,
              struct fuse_file_info* fi, enum fuse_readdir_flags flags);
int OpOpen(const char* path, struct fuse_file_info* fi);
int OpCreate(const char* path, mode_t mode, struct fuse_file_info* fi);
int OpRead(const char* path, char* buf, size_t size, off_t offset, struct fuse_file_info* fi);
int OpWrite(const char* path, const char* buf, size_t size, off_t offset,
            struct fuse_file_info* fi);
int OpFlush(const char* path, struct fuse_file_info* fi);
int OpFsync(const char* path, int datasync, struct fuse_file_info* fi);
int OpRelease(const char* path, struct fuse_file_info* fi);
int OpIoctl(const char* path, unsigned int cmd, void* arg, struct fuse_file_info* fi,
            unsigned int flags, void* data);
int OpStatfs(const char* path, struct statvfs* sv);
int OpTruncate(const char* path, off_t size, struct fuse_file_info* fi);
int OpUtimens(const char* path, const struct timespec tv[2], struct fuse_file_info* fi);
// Refused namespace changes (op_refused.cc).
int OpMkdir(const char* path, mode_t mode);
int OpRmdir(const char* path);
int OpUnlink(const char* path);
int OpRename(const char* from, const char* to, unsigned int flags);
int OpSymlink(const char* target, const char* path);
int OpLink(const char* from, const char* to);
int OpMknod(const char* path, mode_t mode, dev_t dev);
int OpChmod(const char* path, mode_t mode, struct fuse_file_info* fi);
int OpChown(const char* path, uid_t uid, gid_t gid, struct fuse_file_info* fi);

}  // namespace tsfs::fusefs
