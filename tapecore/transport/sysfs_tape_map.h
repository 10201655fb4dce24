// The Linux sysfs facts the sg transport needs: which /dev/sgN belongs to a
// SCSI tape node (/dev/nstN, /dev/stN, a /dev/tape/by-id link), and how large
// one data transfer to that device may be.
//
// Why map at all: the st driver passes SG_IO on, but through its own buffer
// rules, so a transfer that sg takes fails on /dev/nstN with EINVAL (seen
// with 1 MiB on virtio-scsi). tsfs therefore sends every command through the
// sg node of the same SCSI device.
//
// The sysfs root is a parameter ("/sys" in use) so tests build a fake tree in
// a temporary directory. Stateless functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string>

#include "tapecore/status.h"

namespace tsfs {

inline constexpr const char* kSysfsRoot = "/sys";

// What a device node path refers to, from stat(2) and sysfs.
struct SgNode {
  std::string path;     // the /dev/sgN to open
  std::string sg_name;  // "sg3"
  // The tape node it was found from ("/dev/nst0"); empty when `path` was an sg node already.
  std::string tape_node;
};

// The sg node of the SCSI device whose character device is major:minor.
// `node` is the path the user gave, for messages only. SCSI tape major (9):
// <sysfs>/dev/char/MAJ:MIN/device/scsi_generic/sgN, else by the node's name
// under <sysfs>/class/scsi_tape/. Errors: kNotFound when sysfs does not know
// the device; kUnsupported naming the sg module when the tape has no sg peer.
Result<std::string> SgNameForTape(const std::string& sysfs_root, unsigned major, unsigned minor,
                                  const std::string& node);

// Resolves a path given as a tape source to the sg node to open. An sg node
// (major 21) or anything that is not a character device is returned as is
// (SgTransport::Open refuses what it cannot use); a SCSI tape node is mapped
// through SgNameForTape to <dev_dir>/sgN, which must exist.
Result<SgNode> ResolveSgNode(const std::string& path, const std::string& sysfs_root = kSysfsRoot,
                             const std::string& dev_dir = "/dev");

// The host adapter's limits on one transfer to the SCSI device behind
// <sysfs>/class/scsi_generic/<sg_name>, where sysfs has them.
struct SysfsTransferLimits {
  size_t max_bytes = 0;  // the smallest of the limits found; 0 when none was found
  std::string source;    // which files gave it ("max_sectors_kb 512, sg_tablesize 128 x 4096")
};

// Reads, where they exist: the request queue's max_sectors_kb,
// max_hw_sectors_kb and max_segments (a block device on that SCSI device),
// the device's max_sectors (usb-storage) and its host's sg_tablesize; segment
// counts are multiplied by `page_size`. A missing file is skipped, never an error.
SysfsTransferLimits ReadSysfsTransferLimits(const std::string& sysfs_root,
                                            const std::string& sg_name, size_t page_size);

}  // namespace tsfs
