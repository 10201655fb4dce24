// TapeUnit::Impl: opening the unit, tape changes, status, release.
#include <algorithm>
#include <string>

#include "tapecore/unit/unit_impl.h"

namespace tsfs {

namespace {

bool IsUnitAttention(const Status& s) {
  return s.sense() != nullptr && s.sense()->key == SenseKey::kUnitAttention;
}

}  // namespace

TapeUnit::Impl::Impl(const UnitConfig& config, std::unique_ptr<Transport> transport, Logger& logger)
    : config_(config),
      diag_(logger, config.Name(), config.prsense),
      transport_(std::make_unique<SenseLogTransport>(std::move(transport), diag_)),
      ssc_(*transport_, config.timeouts),
      store_(config.catalog_dir) {}

TapeUnit::Impl::~Impl() {
  // Threads first: they use the buffers and the Ssc.
  writer_.reset();
  reader_.reset();
}

Status TapeUnit::Impl::Fail(const Status& s) const {
  diag_.CommandFailed(s);
  return s;
}

Status TapeUnit::Impl::Init() {
  // Logged like every other failure of the open (it went unlogged before
  // the INQUIRY fault test).
  Result<InquiryData> identity = ssc_.Inquiry();
  if (!identity.ok()) return Fail(identity.status());
  const InquiryData& inquiry = *identity;
  if (inquiry.peripheral_qualifier != 0 || inquiry.device_type != 0x01) {
    return Status::Error(ErrorCode::kNotTape, transport_->Describe() +
                                                  ": not a tape drive (peripheral device type " +
                                                  std::to_string(inquiry.device_type) + ")");
  }
  // A fresh target (or vtape with poweron) answers UNIT ATTENTION first.
  Status ready;
  for (int i = 0; i < 4; ++i) {
    ready = ssc_.TestUnitReady();
    if (ready.ok() || !IsUnitAttention(ready)) break;
  }
  if (!ready.ok()) return Fail(ready);
  if (config_.probe_on_open) {
    Result<Capabilities> caps = ProbeCapabilities(ssc_);
    if (!caps.ok()) return Fail(caps.status());
    caps_ = std::move(caps).value();
    pos_.SetBot();  // the probe leaves the tape at BOT
  } else {
    // No tape motion: what the identity tells, positions untrusted.
    caps_ = Capabilities{};
    ApplyKnownTargetQuirks(inquiry, caps_);
    pos_.SetUnknown();
  }
  TSFS_RETURN_IF_ERROR(SelectBlockLength());
  TSFS_RETURN_IF_ERROR(RefreshWriteProtect());
  RefreshCapacity();
  (void)transport_->TakeAttention();
  retension_pending_ = config_.autoret;
  UnitLock lock(*this);  // publishes the status for KnownStatus
  return Status::Ok();
}

Status TapeUnit::Impl::SelectBlockLength() {
  // tgtd forgets the block length on every connect; MODE SELECT each time.
  Status s = ssc_.ModeSelectBlockLength(config_.block_size);
  if (!s.ok()) return Fail(s);
  return Status::Ok();
}

Status TapeUnit::Impl::RefreshWriteProtect() {
  Result<ModeData> mode = ssc_.ModeSense();
  if (!mode.ok()) return Fail(mode.status());
  write_protect_ = mode->write_protect;
  return Status::Ok();
}

void TapeUnit::Impl::RefreshCapacity() {
  if (!caps_.log_sense_capacity) return;
  Result<Capacity> cap = ssc_.LogSenseCapacity();
  if (cap.ok()) capacity_ = *cap;
}

void TapeUnit::Impl::OnMediumChange() {
  diag_.Line(LogLevel::kInfo, "tape changed: catalog and position dropped");
  catalog_.Invalidate();
  pos_.SetUnknown();
  after_write_ = false;
  retension_pending_ = config_.autoret;
  (void)SelectBlockLength();
  (void)RefreshWriteProtect();
}

void TapeUnit::Impl::HandleAttention() {
  switch (transport_->TakeAttention()) {
    case SenseLogTransport::Attention::kNone:
      return;
    case SenseLogTransport::Attention::kReset:
      OnReset();
      return;
    case SenseLogTransport::Attention::kChange:
      OnMediumChange();
      return;
  }
}

Status TapeUnit::Impl::CheckMedium() {
  released_ = false;
  HandleAttention();
  Status ready = ssc_.TestUnitReady();
  for (int i = 0; i < 4 && !ready.ok() && IsUnitAttention(ready); ++i) {
    HandleAttention();
    ready = ssc_.TestUnitReady();
  }
  if (!ready.ok()) return Fail(ready);
  return Status::Ok();
}

Result<UnitStatus> TapeUnit::Impl::GetStatus() {
  UnitLock lock(*this);
  UnitStatus st;
  st.name = config_.Name();
  st.device = transport_->Describe();
  st.block_size = config_.block_size;
  st.writing = stream_ == StreamKind::kWrite;
  st.reading = stream_ == StreamKind::kRead;
  if (stream_ == StreamKind::kNone) {
    // No stream thread: the drive may be asked.
    if (!CheckMedium().ok()) {
      st.online = false;
      return st;
    }
    Result<ModeData> mode = ssc_.ModeSense();
    if (!mode.ok()) return Fail(mode.status());
    write_protect_ = mode->write_protect;
    if (mode->block_length != 0) st.block_size = mode->block_length;
    RefreshCapacity();
    st.capacity = capacity_;
  }
  st.online = true;
  st.write_protect = write_protect_;
  FillPosition(st);
  return st;
}

Status TapeUnit::Impl::CheckMediumAtOpen() {
  UnitLock lock(*this);
  if (stream_ != StreamKind::kNone) return Status::Ok();
  const bool released = released_;
  Status s = CheckMedium();
  released_ = released;  // a look at the drive is not a use of the tape
  return s;
}

void TapeUnit::Impl::NoteSpaceUsed() {
  UnitLock lock(*this);
  if (stream_ == StreamKind::kNone) RefreshCapacity();
}

Status TapeUnit::Impl::Release() {
  UnitLock lock(*this);
  if (released_ && stream_ == StreamKind::kNone) return Status::Ok();
  Status result = CloseLocked();
  if (config_.rewind_on_release && result.code() == ErrorCode::kTransport) {
    // The drive did not answer just now: no rewind to wait for (unmount
    // with a hung target ends within the command timeouts, tsfs(8)).
    diag_.Line(LogLevel::kWarning, "not rewound: the drive does not answer");
  } else if (config_.rewind_on_release) {
    Status rew = ssc_.Rewind();
    // A new session (UNIT ATTENTION instead of the rewind): once more.
    if (!rew.ok() && IsUnitAttention(rew)) rew = ssc_.Rewind();
    if (rew.ok()) {
      pos_.SetBot();
      after_write_ = false;
    } else {
      pos_.SetUnknown();
      (void)Fail(rew);
      if (result.ok()) result = rew;
    }
  }
  released_ = true;
  return result;
}

uint64_t TapeUnit::Impl::StreamOffset() const {
  std::lock_guard<std::mutex> lock(mu_);
  return offset_;
}

StreamKind TapeUnit::Impl::stream() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stream_;
}

}  // namespace tsfs
