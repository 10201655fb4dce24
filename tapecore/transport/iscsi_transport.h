// IscsiTransport: a Transport over one libiscsi session to one LUN.
//
// Login and every command run libiscsi's asynchronous API under our own poll
// loop with a deadline, because the synchronous calls of libiscsi 1.19 wait
// forever for a target that stopped answering. Automatic reconnection is off
// (iscsi_set_noautoreconnect): when the connection drops or a command gets no
// answer in time, Execute returns kTransport, the session is closed and every
// later call fails the same way; the owner reopens the source. A tape's
// position is lost with the session anyway (tgtd and istgt go back to BOT).
//
// Right after login the UNIT ATTENTIONs of the new session (tgtd: 29/00) are
// cleared with TEST UNIT READY; later ones reach the caller.
//
// Data is transferred in place: data-out from the caller's buffer, data-in into
// it (no copies). Owns its libiscsi context. One thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "tapecore/status.h"
#include "tapecore/transport/iscsi_url.h"
#include "tapecore/transport/transport.h"

struct iscsi_context;

namespace tsfs {

struct IscsiOptions {
  // TCP connect plus iSCSI login; also the default for Execute(timeout <= 0).
  std::chrono::milliseconds login_timeout{10'000};
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

  // Completion record of one asynchronous libiscsi request (defined in the .cc).
  struct Waiter;

 private:
  IscsiTransport(IscsiUrl url, IscsiOptions options, iscsi_context* ctx);
  // Services the socket until `waiter` is finished or `deadline` passes.
  Status Wait(Waiter& waiter, std::chrono::steady_clock::time_point deadline,
              const std::string& what);
  // Closes the session for good after a lost connection or timeout.
  void Drop(const std::string& why);
  // TEST UNIT READY until the login's UNIT ATTENTIONs are gone (at most 10).
  Status ConsumeLoginUnitAttentions();
  std::string Where() const;

  IscsiUrl url_;
  IscsiOptions options_;
  iscsi_context* ctx_;       // owned; null once the session is dropped
  std::string drop_reason_;  // why ctx_ is null
};

}  // namespace tsfs
