// struct stat for the root directory and the tape files: sizes from the
// catalog, every time the mount time, modes from the mount options
// (0644/0755, 0444/0555 with ro), owner the mounting user.
#pragma once

#include <sys/stat.h>

#include "fusefs/file_system.h"
#include "fusefs/mount.h"

namespace tsfs::fusefs {

// The tape's root directory, or a cartridge's directory in a library.
struct stat RootAttributes(const Mount& mount);
// The root of a library mount (inode 1).
struct stat LibraryRootAttributes(const FileSystem& fs);
struct stat FileAttributes(const Mount& mount, const FileEntry& entry);

}  // namespace tsfs::fusefs
