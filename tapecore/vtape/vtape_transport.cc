#include "tapecore/vtape/vtape_transport.h"

#include <chrono>

#include "tapecore/vtape/tap_image.h"
#include "tapecore/vtape/vtape_options.h"

namespace tsfs {

namespace {
double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

Result<std::unique_ptr<Transport>> OpenVtapeTransport(const std::string& spec) {
  TSFS_ASSIGN_OR_RETURN(auto t, VtapeTransport::Open(spec));
  return std::unique_ptr<Transport>(std::move(t));
}

Result<std::unique_ptr<VtapeTransport>> VtapeTransport::Open(const std::string& spec) {
  TSFS_ASSIGN_OR_RETURN(vtape::VtapeOptions options, vtape::ParseVtapeSpec(spec));
  TSFS_ASSIGN_OR_RETURN(auto image,
                        vtape::TapImage::Open(options.path, options.read_only, options.create));
  auto target = std::make_unique<vtape::VtapeTarget>(options, std::move(image));
  return std::unique_ptr<VtapeTransport>(new VtapeTransport(std::move(options), std::move(target)));
}

VtapeTransport::VtapeTransport(vtape::VtapeOptions options,
                               std::unique_ptr<vtape::VtapeTarget> target)
    : options_(std::move(options)), target_(std::move(target)) {}

Result<ScsiResponse> VtapeTransport::Execute(Cdb cdb, DataBuffer data,
                                             std::chrono::milliseconds /*timeout*/) {
  std::lock_guard<std::mutex> lock(mu_);
  return target_->Execute(cdb, data, NowSeconds());
}

std::string VtapeTransport::Describe() const { return "vtape:" + options_.path; }

vtape::VtapeStats VtapeTransport::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return target_->Stats();
}

Status VtapeTransport::ChangeTape(const std::string& path, bool read_only) {
  TSFS_ASSIGN_OR_RETURN(auto image, vtape::TapImage::Open(path, read_only, false));
  std::lock_guard<std::mutex> lock(mu_);
  target_->ChangeTape(std::move(image), read_only);
  return Status::Ok();
}

std::string VtapeTransport::LastImageError() const {
  std::lock_guard<std::mutex> lock(mu_);
  return target_->last_image_error();
}

}  // namespace tsfs
