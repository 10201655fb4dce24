// TgtdDaemon: the part every tgtd fixture shares (tgtd_target.cc: one tape;
// tgtd_library.cc: a virtual tape library). One private tgtd (package tgt)
// with a scratch folder, an iSCSI port on 127.0.0.1 and a control port of
// its own; target tid 1 under the given name. The destructor stops it through
// its control socket (tgtd ignores SIGTERM), kills it if need be, and removes
// its socket files.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tapecore/status.h"
#include "tests/support/ports.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace tsfs::testing {

class TgtdDaemon final {
 public:
  // Finds tgtd, tgtadm and tgtimg (kNotFound when tgt is not installed) and
  // reserves a folder ("PREFIX-XXXXXX"), an iSCSI port and a control port.
  static Result<std::unique_ptr<TgtdDaemon>> Reserve(const std::string& prefix,
                                                     const std::string& iqn);
  ~TgtdDaemon();
  TgtdDaemon(const TgtdDaemon&) = delete;
  TgtdDaemon& operator=(const TgtdDaemon&) = delete;

  // Starts tgtd, waits until its control socket answers, makes target 1.
  Status Launch();
  // Lets every initiator in and waits until tgtd listens (after a kill the
  // old connections' TIME_WAIT can hold the port a moment).
  Status Bind();
  // SIGKILL, and its socket files removed (for a restart with Launch).
  void Kill();

  Status Admin(std::vector<std::string> args);
  // tgtadm --mode logicalunit --op OP --tid 1 --lun LUN REST...
  Status Lun(const std::string& op, int lun, const std::vector<std::string>& rest);
  // A tape image made with tgtimg.
  Status NewTape(const std::string& path, const std::string& barcode, int size_mb);
  // kIo with `what` and the end of tgtd's log.
  Status Failed(const std::string& what) const;

  std::string Uri(int lun) const;
  TempDir& dir() { return dir_; }
  Daemon& daemon() { return daemon_; }

 private:
  TgtdDaemon(std::string tgtd, std::string tgtadm, std::string tgtimg, std::string iqn, TempDir dir,
             Reservation port, Reservation control);
  void RemoveSockets() const;

  const std::string tgtd_, tgtadm_, tgtimg_, iqn_;
  TempDir dir_;
  Reservation port_;
  Reservation control_;
  Daemon daemon_;  // declared last: killed before the folder goes
};

// A fixture T (constructed from a fresh TgtdDaemon and `options`, set up
// by T::Start()) up to three times: a port can be taken between the bind
// test and tgtd's bind.
template <typename T, typename Options>
Result<std::unique_ptr<T>> StartOnTgtd(const std::string& prefix, const std::string& iqn,
                                       const Options& options) {
  Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    TSFS_ASSIGN_OR_RETURN(std::unique_ptr<TgtdDaemon> tgtd, TgtdDaemon::Reserve(prefix, iqn));
    auto fixture = std::make_unique<T>(std::move(tgtd), options);
    last = fixture->Start();
    if (last.ok()) return fixture;
  }
  return last;
}

}  // namespace tsfs::testing
