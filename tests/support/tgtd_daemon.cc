#include "tests/support/tgtd_daemon.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace tsfs::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kSocketDir = "/var/run/tgtd";

std::string SocketPath(int control) {
  return std::string(kSocketDir) + "/socket." + std::to_string(control);
}

}  // namespace

Result<std::unique_ptr<TgtdDaemon>> TgtdDaemon::Reserve(const std::string& prefix,
                                                        const std::string& iqn) {
  TSFS_ASSIGN_OR_RETURN(std::string tgtd, FindProgram("tgtd", "tgt"));
  TSFS_ASSIGN_OR_RETURN(std::string tgtadm, FindProgram("tgtadm", "tgt"));
  TSFS_ASSIGN_OR_RETURN(std::string tgtimg, FindProgram("tgtimg", "tgt"));
  TSFS_ASSIGN_OR_RETURN(TempDir dir, TempDir::Create(prefix));
  TSFS_ASSIGN_OR_RETURN(Reservation port, Reservation::TcpPort());
  TSFS_ASSIGN_OR_RETURN(Reservation control,
                        Reservation::Number("tgtd-control", 1000, 30000, [](int n) {
                          struct stat st {};
                          return ::stat(SocketPath(n).c_str(), &st) != 0;
                        }));
  ::mkdir(kSocketDir, 0755);
  return std::unique_ptr<TgtdDaemon>(new TgtdDaemon(std::move(tgtd), std::move(tgtadm),
                                                    std::move(tgtimg), iqn, std::move(dir),
                                                    std::move(port), std::move(control)));
}

TgtdDaemon::TgtdDaemon(std::string tgtd, std::string tgtadm, std::string tgtimg, std::string iqn,
                       TempDir dir, Reservation port, Reservation control)
    : tgtd_(std::move(tgtd)),
      tgtadm_(std::move(tgtadm)),
      tgtimg_(std::move(tgtimg)),
      iqn_(std::move(iqn)),
      dir_(std::move(dir)),
      port_(std::move(port)),
      control_(std::move(control)) {}

TgtdDaemon::~TgtdDaemon() {
  daemon_.Freeze(false);
  if (daemon_.Running()) {
    (void)Admin({"--lld", "iscsi", "--mode", "target", "--op", "delete", "--force", "--tid", "1"});
    (void)Admin({"--op", "delete", "--mode", "system"});
    if (!daemon_.WaitExit(std::chrono::seconds(2))) daemon_.Kill();
  }
  Kill();
}

void TgtdDaemon::RemoveSockets() const {
  ::unlink(SocketPath(control_.value()).c_str());
  ::unlink((SocketPath(control_.value()) + ".lock").c_str());
}

void TgtdDaemon::Kill() {
  daemon_.Kill();
  RemoveSockets();
}

Status TgtdDaemon::Launch() {
  const std::string portal = "portal=127.0.0.1:" + std::to_string(port_.value());
  TSFS_ASSIGN_OR_RETURN(daemon_, Daemon::Start({tgtd_, "-f", "-C", std::to_string(control_.value()),
                                                "--iscsi", portal},
                                               dir_.File("tgtd.log")));
  // Ready when the control socket answers.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  for (;;) {
    if (!daemon_.Running()) return Failed("tgtd exited at start");
    auto r = RunCommand(
        {tgtadm_, "-C", std::to_string(control_.value()), "--op", "show", "--mode", "system"});
    if (r.ok() && r->exit_code == 0) break;
    if (Clock::now() >= deadline) return Failed("tgtd control socket not ready after 10 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Admin(
      {"--lld", "iscsi", "--mode", "target", "--op", "new", "--tid", "1", "--targetname", iqn_});
}

Status TgtdDaemon::Bind() {
  TSFS_RETURN_IF_ERROR(
      Admin({"--lld", "iscsi", "--mode", "target", "--op", "bind", "--tid", "1", "-I", "ALL"}));
  const auto port = static_cast<uint16_t>(port_.value());
  for (int i = 0; i < 100 && !CanConnect(port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!CanConnect(port)) return Failed("tgtd does not listen on 127.0.0.1:" + std::to_string(port));
  return Status::Ok();
}

Status TgtdDaemon::Admin(std::vector<std::string> args) {
  args.insert(args.begin(), {tgtadm_, "-C", std::to_string(control_.value())});
  return RunOk(args).WithContext("tgtadm");
}

Status TgtdDaemon::Lun(const std::string& op, int lun, const std::vector<std::string>& rest) {
  std::vector<std::string> args{"--lld", "iscsi", "--mode", "logicalunit", "--op",
                                op,      "--tid", "1",      "--lun",       std::to_string(lun)};
  args.insert(args.end(), rest.begin(), rest.end());
  return Admin(std::move(args));
}

Status TgtdDaemon::NewTape(const std::string& path, const std::string& barcode, int size_mb) {
  return RunOk({tgtimg_, "--op", "new", "--device-type", "tape", "--barcode", barcode, "--size",
                std::to_string(size_mb), "--type", "data", "--file", path});
}

Status TgtdDaemon::Failed(const std::string& what) const {
  return Status::Error(ErrorCode::kIo, what + "; log: " + daemon_.LogTail());
}

std::string TgtdDaemon::Uri(int lun) const {
  return "iscsi://127.0.0.1:" + std::to_string(port_.value()) + "/" + iqn_ + "/" +
         std::to_string(lun);
}

}  // namespace tsfs::testing
