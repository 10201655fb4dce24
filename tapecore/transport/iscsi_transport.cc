#include "tapecore/transport/iscsi_transport.h"

#include <poll.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <thread>

#include "tapecore/scsi/sense.h"

extern "C" {
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
}

namespace tsfs {

using Clock = std::chrono::steady_clock;

// Completion record of one asynchronous libiscsi request.
struct IscsiTransport::Waiter {
  bool finished = false;
  int status = SCSI_STATUS_GOOD;
  std::string error;  // libiscsi's words, captured in the callback (later calls overwrite them)
};

namespace {

void OnDone(iscsi_context* ctx, int status, void* /*command_data*/, void* private_data) {
  auto* w = static_cast<IscsiTransport::Waiter*>(private_data);
  w->finished = true;
  w->status = status;
  // iscsi_get_error returns the context's own buffer: never null.
  if (status != SCSI_STATUS_GOOD && status != SCSI_STATUS_CHECK_CONDITION) {
    w->error = iscsi_get_error(ctx);
  }
}

struct TaskFree {
  void operator()(scsi_task* t) const { scsi_free_scsi_task(t); }
};

// A SCSI status the target itself sent fits in its byte; libiscsi's own
// values (CANCELLED, ERROR, TIMEOUT, REDIRECT) do not and mean there was no
// answer. With our settings a command only ever gets CANCELLED: the
// connection broke and libiscsi (its reconnect off) cancelled what was queued.
bool IsTargetStatus(int status) { return (status & ~0xFF) == 0; }

// The answer to the command that logged in again: CHECK CONDITION with
// `sense`, the first UNIT ATTENTION of the new session.
ScsiResponse NewSessionAnswer(std::vector<uint8_t> sense) {
  ScsiResponse r;
  r.status = kScsiCheckCondition;
  r.sense = std::move(sense);
  if (r.sense.empty()) {
    // istgt reports nothing: fixed-format sense, UNIT ATTENTION, 29/07
    // I_T NEXUS LOSS OCCURRED.
    r.sense.assign(18, 0);
    r.sense[0] = 0x70;
    r.sense[2] = 0x06;
    r.sense[7] = 10;
    r.sense[12] = 0x29;
    r.sense[13] = 0x07;
  }
  return r;
}

}  // namespace

IscsiTransport::IscsiTransport(IscsiUrl url, IscsiOptions options)
    : url_(std::move(url)), options_(std::move(options)) {}

IscsiTransport::~IscsiTransport() {
  if (ctx_ == nullptr) return;
  // Log out politely, but never wait long for a target that does not answer.
  Waiter w;
  (void)Await(iscsi_logout_async(ctx_, OnDone, &w), w, Clock::now() + std::chrono::seconds(2),
              "logout");
  iscsi_destroy_context(ctx_);
}

std::string IscsiTransport::Where() const {
  return "iSCSI target " + url_.target + " LUN " + std::to_string(url_.lun) + " at " +
         url_.Portal();
}

void IscsiTransport::Drop(const std::string& why) {
  drop_reason_ = why;
  // Cancels every request still queued: their callbacks run now, before the
  // Waiter and the task they point to go away.
  iscsi_destroy_context(ctx_);
  ctx_ = nullptr;
}

Status IscsiTransport::Await(int started, Waiter& w, Clock::time_point deadline,
                             const std::string& what) {
  if (started != 0) {
    return Status::Error(
        ErrorCode::kTransport,
        what + " on " + Where() + ": libiscsi refused to start it (" + iscsi_get_error(ctx_) + ")");
  }
  return Wait(w, deadline, what);
}

Status IscsiTransport::Wait(Waiter& w, Clock::time_point deadline, const std::string& what) {
  while (!w.finished) {
    auto now = Clock::now();
    if (now >= deadline) {
      return Status::Error(ErrorCode::kTransport,
                           what + " on " + Where() + ": no answer within the timeout");
    }
    // libiscsi closes its socket only in iscsi_destroy_context (and on a
    // login redirect inside iscsi_full_connect, not used here), so the fd
    // is valid while ctx_ lives.
    pollfd pfd{};
    pfd.fd = iscsi_get_fd(ctx_);
    pfd.events = static_cast<short>(iscsi_which_events(ctx_));
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    // Wake at least once a second: libiscsi scans its own timeouts in iscsi_service.
    int ms = static_cast<int>(std::clamp<int64_t>(left, 1, 1000));
    // With one pollfd on the stack poll fails only with EINTR (or ENOMEM):
    // then nothing is ready, and the loop goes round until the deadline.
    int n = poll(&pfd, 1, ms);
    if (iscsi_service(ctx_, n > 0 ? pfd.revents : 0) < 0 && !w.finished) {
      return Status::Error(ErrorCode::kTransport, what + " on " + Where() + ": connection lost (" +
                                                      iscsi_get_error(ctx_) + ")");
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<IscsiTransport>> IscsiTransport::Open(const std::string& source,
                                                             const IscsiOptions& options) {
  TSFS_ASSIGN_OR_RETURN(IscsiUrl url, ParseIscsiUrl(source));
  std::unique_ptr<IscsiTransport> t(new IscsiTransport(std::move(url), options));
  TSFS_RETURN_IF_ERROR(t->Login(Clock::now() + options.login_timeout).status());
  return t;
}

Result<std::vector<uint8_t>> IscsiTransport::Login(Clock::time_point deadline) {
  ctx_ = iscsi_create_context(options_.initiator_name.c_str());
  if (ctx_ == nullptr) {
    // libiscsi 1.19 refuses an empty initiator name (or is out of memory).
    return Status::Error(
        ErrorCode::kInvalidArgument,
        "cannot create an iSCSI context for initiator name '" + options_.initiator_name + "'");
  }
  Status s = Connect(deadline);
  if (!s.ok()) {
    Drop(s.message());
    return s;
  }
  return ConsumeLoginUnitAttentions(deadline);  // drops the session itself when it fails
}

Status IscsiTransport::Connect(Clock::time_point deadline) {
  iscsi_set_targetname(ctx_, url_.target.c_str());
  iscsi_set_session_type(ctx_, ISCSI_SESSION_NORMAL);
  iscsi_set_header_digest(ctx_, ISCSI_HEADER_DIGEST_NONE_CRC32C);
  // Without this a synchronous call spins forever when the target dies
  // (TARGETS.md); we log in again ourselves (header comment).
  iscsi_set_noautoreconnect(ctx_, 1);
  // Always 0 in libiscsi 1.19 (it copies at most 255 bytes; ParseIscsiUrl
  // refuses longer ones).
  if (!url_.user.empty()) {
    (void)iscsi_set_initiator_username_pwd(ctx_, url_.user.c_str(), url_.secret.c_str());
  }
  const std::string portal = url_.Portal();
  // Connect and log in without iscsi_full_connect_*: that one also sends TEST
  // UNIT READY and swallows the UNIT ATTENTIONs tapecore must see.
  Waiter connect;
  Status s = Await(iscsi_connect_async(ctx_, portal.c_str(), OnDone, &connect), connect, deadline,
                   "connect");
  if (s.ok() && connect.status != SCSI_STATUS_GOOD) {
    s = Status::Error(ErrorCode::kTransport, "cannot connect to " + portal + " for " +
                                                 url_.Redacted() + ": " + connect.error);
  }
  if (!s.ok()) return s;
  Waiter login;
  s = Await(iscsi_login_async(ctx_, OnDone, &login), login, deadline, "login");
  if (s.ok() && login.status != SCSI_STATUS_GOOD) {
    s = Status::Error(ErrorCode::kTransport, "login to " + Where() + " refused: " + login.error);
  }
  return s;
}

Result<std::vector<uint8_t>> IscsiTransport::ConsumeLoginUnitAttentions(
    Clock::time_point deadline) {
  // tgtd answers the first command of every new session with UNIT ATTENTION
  // 29/00 (power on, reset): a new I_T nexus.
  static constexpr uint8_t kTestUnitReady[6] = {0, 0, 0, 0, 0, 0};
  std::vector<uint8_t> first;
  for (int i = 0; i < 10; ++i) {
    TSFS_ASSIGN_OR_RETURN(ScsiResponse r, Send(kTestUnitReady, DataBuffer::None(), deadline));
    if (r.status != kScsiCheckCondition || ParseSense(r.sense).key != SenseKey::kUnitAttention) {
      break;
    }
    if (first.empty()) first = r.sense;
  }
  return first;
}

Result<ScsiResponse> IscsiTransport::Reconnect(Clock::time_point deadline) {
  const std::string lost = drop_reason_;
  auto pause = options_.first_retry_pause;
  for (int attempts = 1;; ++attempts) {
    // Login, and the TEST UNIT READYs that clear its UNIT ATTENTIONs: a
    // session that breaks right after the login is retried too.
    Result<std::vector<uint8_t>> attention =
        Login(std::min(deadline, Clock::now() + options_.login_timeout));
    if (attention.ok()) {
      ++reconnects_;
      return NewSessionAnswer(std::move(attention).value());
    }
    if (Clock::now() + pause >= deadline) {
      return Status::Error(ErrorCode::kTransport,
                           "the session to " + Where() + " was lost (" + lost +
                               "); logging in again failed " + std::to_string(attempts) +
                               " times, last: " + attention.status().message());
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, options_.max_retry_pause);
  }
}

void IscsiTransport::CheckIdleConnection() {
  if (ctx_ == nullptr) return;
  pollfd pfd{};
  pfd.fd = iscsi_get_fd(ctx_);  // valid while ctx_ lives (see Wait)
  // POLLRDHUP: the target closed its side (a killed daemon's kernel sends
  // FIN). libiscsi 1.19 does not fail on that end of file by itself with
  // its reconnect off ("Can not reconnect right now"): look first.
  pfd.events = POLLIN | POLLRDHUP;
  if (poll(&pfd, 1, 0) <= 0) return;
  if ((pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0) {
    Drop("the target closed the connection");
    return;
  }
  // A NOP-In (or an asynchronous message) arrived while idle: libiscsi
  // answers it.
  if (iscsi_service(ctx_, POLLIN) < 0) {
    Drop(std::string("connection lost while idle (") + iscsi_get_error(ctx_) + ")");
  }
}

Result<ScsiResponse> IscsiTransport::Execute(Cdb cdb, DataBuffer data,
                                             std::chrono::milliseconds timeout) {
  if (timeout <= std::chrono::milliseconds::zero()) timeout = options_.login_timeout;
  const auto deadline = Clock::now() + timeout;
  CheckIdleConnection();
  if (ctx_ == nullptr) return Reconnect(deadline);
  return Send(cdb, data, deadline);
}

Result<ScsiResponse> IscsiTransport::Send(Cdb cdb, DataBuffer data, Clock::time_point deadline) {
  unsigned char cdb_copy[SCSI_CDB_MAX_SIZE];
  if (cdb.empty() || cdb.size() > sizeof(cdb_copy)) {
    return Status::Error(ErrorCode::kInvalidArgument,
                         "CDB length " + std::to_string(cdb.size()) + " not in 1..16");
  }
  if (data.length > static_cast<size_t>(INT_MAX)) {
    return Status::Error(ErrorCode::kInvalidArgument, "data phase too large for one command");
  }
  std::memcpy(cdb_copy, cdb.data(), cdb.size());
  const int length = data.direction == DataDirection::kNone ? 0 : static_cast<int>(data.length);
  int dir = SCSI_XFER_NONE;
  if (length > 0) dir = data.direction == DataDirection::kIn ? SCSI_XFER_READ : SCSI_XFER_WRITE;

  std::unique_ptr<scsi_task, TaskFree> task(
      scsi_create_task(static_cast<int>(cdb.size()), cdb_copy, dir, length));
  if (task == nullptr) return Status::Error(ErrorCode::kNoMemory, "cannot allocate an iSCSI task");
  // Data-in lands in the caller's buffer; data-out is sent from it.
  if (dir == SCSI_XFER_READ && scsi_task_add_data_in_buffer(task.get(), length, data.data) != 0) {
    return Status::Error(ErrorCode::kNoMemory, "cannot attach the data-in buffer");
  }
  iscsi_data out{};
  out.size = static_cast<size_t>(length);
  out.data = data.data;

  Waiter w;
  Status waited = Await(iscsi_scsi_command_async(ctx_, url_.lun, task.get(), OnDone,
                                                 dir == SCSI_XFER_WRITE ? &out : nullptr, &w),
                        w, deadline, "command");
  if (!waited.ok()) {
    Drop(waited.message());
    return waited;
  }
  if (!IsTargetStatus(w.status)) {
    std::string why = "command got no answer: " + w.error;
    Drop(why);
    return Status::Error(ErrorCode::kTransport, Where() + ": " + why);
  }

  ScsiResponse response;
  response.status = static_cast<uint8_t>(w.status);
  // The response segment of a CHECK CONDITION is a 2-byte SenseLength, then
  // the sense bytes; libiscsi leaves datain empty when the target sent none.
  if (w.status == SCSI_STATUS_CHECK_CONDITION && task->datain.size >= 2) {
    size_t sense_len = (static_cast<size_t>(task->datain.data[0]) << 8) | task->datain.data[1];
    sense_len = std::min(sense_len, static_cast<size_t>(task->datain.size) - 2);
    response.sense.assign(task->datain.data + 2, task->datain.data + 2 + sense_len);
  }
  if (task->residual_status == SCSI_RESIDUAL_UNDERFLOW) {
    response.transport_residual = task->residual;
  }
  return response;
}

}  // namespace tsfs
