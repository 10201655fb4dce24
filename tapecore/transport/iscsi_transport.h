// IscsiTransport: a Transport over one libiscsi session to one LUN, logged
// in again after the session was lost.
//
// Login and every command run libiscsi's asynchronous API under our own poll
// loop with a deadline, because the synchronous calls of libiscsi 1.19 wait
// forever for a target that stopped answering (TARGETS.md).
//
// Reconnect: when the connection drops or a command gets no answer in time,
// that command fails with kTransport (it may or may not have reached the
// tape) and the session is closed. The next Execute logs in again with a
// new libiscsi context, retrying with a growing pause (0.1 s doubling to
// 2 s) until that command's own deadline. libiscsi's automatic reconnect is
// left off (iscsi_set_noautoreconnect): with it on, a synchronous or queued
// command against a dead target is retried inside libiscsi without end, and
// it would replay queued commands on the new session where a tape has
// moved back to BOT. A new context per login keeps every wait ours.
//
// A new session is announced, never hidden: the command that logged in
// again is not sent; it is answered CHECK CONDITION / UNIT ATTENTION, the
// first one the target reports for the new session (tgtd: 29/00), or 29/07
// (I_T nexus loss occurred) made here when the target reports none
// (istgt). The caller handles it as a drive reset: the drive's position and
// block length are lost (tgtd and istgt go back to BOT and variable
// blocks), so nothing may be written or read before they are set again.
// Before each command an idle session is checked for a connection the
// target closed meanwhile (a restarted daemon), so the first command after
// a restart gets that answer instead of an error.
//
// The UNIT ATTENTIONs of the first login (Open) are cleared with TEST UNIT
// READY: a new mount starts at a known state anyway.
//
// Data is transferred in place: data-out from the caller's buffer, data-in into
// it (no copies). Owns its libiscsi context. One thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tapecore/status.h"
#include "tapecore/transport/iscsi_url.h"
#include "tapecore/transport/transport.h"

struct iscsi_context;

namespace tsfs {

struct IscsiOptions {
  // TCP connect plus iSCSI login (each attempt); also the default for
  // Execute(timeout <= 0).
  std::chrono::milliseconds login_timeout{10'000};
  // Pauses between login attempts after the session was lost.
  std::chrono::milliseconds first_retry_pause{100};
  std::chrono::milliseconds max_retry_pause{2'000};
  std::string initiator_name = "iqn.2026-11.org.tsfs:initiator";
};

class IscsiTransport final : public Transport {
 public:
  // Connects and logs in. kInvalidArgument for a malformed URL; kTransport
  // naming the portal and target when the connection or login fails.
  static Result<std::unique_ptr<IscsiTransport>> Open(const std::string& url,
                                                      const IscsiOptions& options = {});
  ~IscsiTransport() override;

  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data,
                               std::chrono::milliseconds timeout) override;
  std::string Describe() const override { return url_.Redacted(); }

  // Sessions logged in again after one was lost (for tests and logs).
  int reconnects() const { return reconnects_; }

  // Completion record of one asynchronous libiscsi request (defined in the .cc).
  struct Waiter;

 private:
  IscsiTransport(IscsiUrl url, IscsiOptions options);
  // A new context, connected and logged in before `deadline`, kept in
  // ctx_, and its UNIT ATTENTIONs cleared: the sense of the first one
  // (empty when there was none). On failure no session is left.
  Result<std::vector<uint8_t>> Login(std::chrono::steady_clock::time_point deadline);
  // TCP connect and iSCSI login on the new ctx_.
  Status Connect(std::chrono::steady_clock::time_point deadline);
  // Logs in again after a lost session, retrying until `deadline`; then the
  // answer to the command that waited for it (see the header comment).
  Result<ScsiResponse> Reconnect(std::chrono::steady_clock::time_point deadline);
  // One command on the current session (ctx_ must be set).
  Result<ScsiResponse> Send(Cdb cdb, DataBuffer data,
                            std::chrono::steady_clock::time_point deadline);
  // Drops an idle session whose connection the target has closed.
  void CheckIdleConnection();
  // `started` is what the iscsi_*_async call that queued `waiter` returned:
  // kTransport when libiscsi refused it, else Wait.
  Status Await(int started, Waiter& waiter, std::chrono::steady_clock::time_point deadline,
               const std::string& what);
  // Services the socket until `waiter` is finished or `deadline` passes.
  Status Wait(Waiter& waiter, std::chrono::steady_clock::time_point deadline,
              const std::string& what);
  // Closes the session (ctx_ must be set) after a lost connection or timeout.
  void Drop(const std::string& why);
  // TEST UNIT READY until the login's UNIT ATTENTIONs are gone (at most
  // 10); the sense of the first one, empty when there was none.
  Result<std::vector<uint8_t>> ConsumeLoginUnitAttentions(
      std::chrono::steady_clock::time_point deadline);
  std::string Where() const;

  IscsiUrl url_;
  IscsiOptions options_;
  iscsi_context* ctx_ = nullptr;  // owned; null once the session is dropped
  std::string drop_reason_;       // why ctx_ is null
  int reconnects_ = 0;
};

}  // namespace tsfs
