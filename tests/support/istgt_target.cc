// StartIstgt: a private istgt (package istgt, a DLT8000 emulation) serving
// one tape file, configured as in TARGETS.md. Write protection is switched
// with istgtcontrol through the unit-control portal (media change + load).
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tapecore/scsi/sense.h"
#include "tapecore/transport/iscsi_transport.h"
#include "tests/support/ports.h"
#include "tests/support/process.h"
#include "tests/support/targets.h"
#include "tests/support/temp_dir.h"

namespace tsfs::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kNodeBase = "iqn.2007-09.jp.ne.peach.istgt";
constexpr const char* kTargetName = "tape1";

class IstgtTarget final : public TapeTarget {
 public:
  IstgtTarget(std::string istgtcontrol, TempDir dir, Reservation port, Reservation control)
      : istgtcontrol_(std::move(istgtcontrol)),
        dir_(std::move(dir)),
        port_(std::move(port)),
        control_(std::move(control)) {}
  IstgtTarget(const IstgtTarget&) = delete;
  IstgtTarget& operator=(const IstgtTarget&) = delete;

  // istgt needs seconds to stop on SIGTERM and the tape file is thrown away:
  // SIGKILL it (Daemon's destructor), then the directory goes.
  ~IstgtTarget() override = default;

  Status Start(const std::string& istgt, const TargetOptions& options) {
    size_mb_ = options.size_mb;
    const std::string media = dir_.File("media");
    ::mkdir(media.c_str(), 0755);
    TSFS_RETURN_IF_ERROR(Write(dir_.File("auth.conf"), ""));
    TSFS_RETURN_IF_ERROR(Write(dir_.File("istgt.conf"), Config(options)));
    TSFS_RETURN_IF_ERROR(Write(dir_.File("istgtcontrol.conf"), ControlConfig()));
    TSFS_ASSIGN_OR_RETURN(daemon_, Daemon::Start({istgt, "-c", dir_.File("istgt.conf"), "-D"},
                                                 dir_.File("istgt.log")));
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!CanConnect(static_cast<uint16_t>(port_.value()))) {
      if (!daemon_.Running()) return Failed("istgt exited at start");
      if (Clock::now() >= deadline) return Failed("istgt not listening after 10 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (options.read_only) TSFS_RETURN_IF_ERROR(SetReadOnly(true));
    return Status::Ok();
  }

  std::string uri() const override {
    return "iscsi://127.0.0.1:" + std::to_string(port_.value()) + "/" + kNodeBase + ":" +
           kTargetName + "/0";
  }
  std::string name() const override { return "istgt"; }

  Status SetReadOnly(bool read_only) override {
    // "change" replaces the medium by the same file with new flags; istgt then
    // shows it absent until "load".
    TSFS_RETURN_IF_ERROR(Control({"-f", read_only ? "ro" : "rw", "-s",
                                  std::to_string(size_mb_) + "MB", "change", TapeFile()}));
    return WaitMediumLoaded();
  }

  void Kill() override { daemon_.Kill(); }
  void Freeze(bool frozen) override { daemon_.Freeze(frozen); }
  std::string LogTail() const override { return daemon_.LogTail(); }

 private:
  // After a media change istgt answers NOT READY 3A/00 (medium not present)
  // to the next five commands, then the medium is loaded (at BOT, variable
  // block length): poll TEST UNIT READY until it is GOOD.
  Status WaitMediumLoaded() {
    TSFS_ASSIGN_OR_RETURN(auto t, IscsiTransport::Open(uri()));
    static constexpr uint8_t kTestUnitReady[6] = {0, 0, 0, 0, 0, 0};
    std::string last;
    for (int i = 0; i < 50; ++i) {
      TSFS_ASSIGN_OR_RETURN(
          ScsiResponse r, t->Execute(kTestUnitReady, DataBuffer::None(), std::chrono::seconds(10)));
      if (r.status == kScsiGood) return Status::Ok();
      last = DescribeSense(r.sense);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return Status::Error(ErrorCode::kIo, "istgt: medium not ready after a change: " + last);
  }

  // No ChangeTape: istgtcontrol "change" needs an existing file, and istgt
  // refuses an empty one (lu_tape_init_ctlblock() failed).
  std::string TapeFile() const { return dir_.File("media/tape1.vt"); }

  std::string Config(const TargetOptions& options) const {
    const std::string d = dir_.path();
    return "[Global]\n"
           "  NodeBase \"" +
           std::string(kNodeBase) +
           "\"\n"
           "  PidFile " +
           d +
           "/istgt.pid\n"
           "  AuthFile " +
           d +
           "/auth.conf\n"
           "  MediaDirectory " +
           d +
           "/media\n"
           "  LogFacility \"local7\"\n"
           "  Timeout 30\n"
           "  NopInInterval 20\n"
           "  DiscoveryAuthMethod None\n"
           "  MaxSessions 16\n"
           "  MaxConnections 4\n"
           "  FirstBurstLength 262144\n"
           "  MaxBurstLength 1048576\n"
           "  MaxRecvDataSegmentLength 262144\n"
           "[UnitControl]\n"
           "  AuthMethod None\n"
           "  Portal UC1 127.0.0.1:" +
           std::to_string(control_.value()) +
           "\n"
           "  Netmask 127.0.0.1\n"
           "[PortalGroup1]\n"
           "  Portal DA1 127.0.0.1:" +
           std::to_string(port_.value()) +
           "\n"
           "[InitiatorGroup1]\n"
           "  InitiatorName \"ALL\"\n"
           "  Netmask 127.0.0.1/32\n"
           "[LogicalUnit1]\n"
           "  TargetName " +
           kTargetName +
           "\n"
           "  Mapping PortalGroup1 InitiatorGroup1\n"
           "  AuthMethod None\n"
           "  UseDigest Auto\n"
           "  ReadOnly No\n"
           "  UnitType Tape\n"
           "  UnitOnline Yes\n"
           "  LUN0 Removable \"rw\" " +
           TapeFile() + " " + std::to_string(options.size_mb) + "MB\n";
  }

  std::string ControlConfig() const {
    return "[Global]\n"
           "  Host 127.0.0.1\n"
           "  Port " +
           std::to_string(control_.value()) +
           "\n"
           "  AuthMethod None\n";
  }

  Status Control(std::vector<std::string> args) {
    std::vector<std::string> argv = {istgtcontrol_, "-q",
                                     "-c",          dir_.File("istgtcontrol.conf"),
                                     "-h",          "127.0.0.1",
                                     "-p",          std::to_string(control_.value()),
                                     "-t",          std::string(kNodeBase) + ":" + kTargetName,
                                     "-l",          "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunOk(argv).WithContext("istgtcontrol");
  }

  static Status Write(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    out.close();
    if (!out) return Status::Error(ErrorCode::kIo, "cannot write " + path);
    return Status::Ok();
  }

  Status Failed(const std::string& what) {
    return Status::Error(ErrorCode::kIo, what + "; log: " + daemon_.LogTail());
  }

  std::string istgtcontrol_;
  TempDir dir_;
  Reservation port_;
  Reservation control_;
  int size_mb_ = 0;
  Daemon daemon_;  // declared last: killed before the directory goes
};

}  // namespace

Result<std::unique_ptr<TapeTarget>> StartIstgt(const TargetOptions& options) {
  TSFS_ASSIGN_OR_RETURN(std::string istgt, FindProgram("istgt", "istgt"));
  if (!options.chap_user.empty()) {
    return Status::Error(ErrorCode::kUnsupported, "the istgt fixture does not set up CHAP");
  }
  TSFS_ASSIGN_OR_RETURN(std::string istgtcontrol, FindProgram("istgtcontrol", "istgt"));
  Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    TSFS_ASSIGN_OR_RETURN(TempDir dir, TempDir::Create("tsfs-istgt"));
    TSFS_ASSIGN_OR_RETURN(Reservation port, Reservation::TcpPort());
    TSFS_ASSIGN_OR_RETURN(Reservation control, Reservation::TcpPort());
    auto target = std::make_unique<IstgtTarget>(istgtcontrol, std::move(dir), std::move(port),
                                                std::move(control));
    last = target->Start(istgt, options);
    if (last.ok()) return std::unique_ptr<TapeTarget>(std::move(target));
  }
  return last.WithContext("start istgt");
}

}  // namespace tsfs::testing
