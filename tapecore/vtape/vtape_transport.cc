#include "tapecore/vtape/vtape_transport.h"

#include <sys/stat.h>

#include <chrono>

#include "tapecore/vtape/medium_file.h"
#include "tapecore/vtape/tap_image.h"
#include "tapecore/vtape/vtape_options.h"

namespace tsfs {

namespace {
bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

Result<std::unique_ptr<Transport>> OpenVtapeTransport(const std::string& spec) {
  TSFS_ASSIGN_OR_RETURN(auto t, VtapeTransport::Open(spec));
  return std::unique_ptr<Transport>(std::move(t));
}

Result<std::unique_ptr<VtapeTransport>> VtapeTransport::Open(const std::string& spec) {
  TSFS_ASSIGN_OR_RETURN(const vtape::VtapeOptions source, vtape::ParseVtapeSpec(spec));
  vtape::VtapeOptions options = source;
  TSFS_ASSIGN_OR_RETURN(const vtape::MediumProperties medium, vtape::ReadMediumFile(options.path));
  TSFS_RETURN_IF_ERROR(vtape::ApplyMedium(medium, options));
  TSFS_ASSIGN_OR_RETURN(auto image,
                        vtape::TapImage::Open(options.path, options.read_only, options.create));
  auto target = std::make_unique<vtape::VtapeTarget>(options, std::move(image));
  return std::unique_ptr<VtapeTransport>(
      new VtapeTransport(source, std::move(options), std::move(target)));
}

VtapeTransport::VtapeTransport(vtape::VtapeOptions source, vtape::VtapeOptions options,
                               std::unique_ptr<vtape::VtapeTarget> target)
    : source_(std::move(source)), options_(std::move(options)), target_(std::move(target)) {}

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
  std::lock_guard<std::mutex> lock(mu_);
  if (SameFile(path, target_->image_path())) {
    // The same tape taken out and put back: no second open (it would meet
    // our own lock), the index stays valid.
    target_->ChangeTape(nullptr, read_only);
    return Status::Ok();
  }
  // The new cartridge brings its own properties; the source's options still
  // override them.
  vtape::VtapeOptions options = source_;
  options.path = path;
  TSFS_ASSIGN_OR_RETURN(const vtape::MediumProperties medium, vtape::ReadMediumFile(path));
  TSFS_RETURN_IF_ERROR(vtape::ApplyMedium(medium, options));
  read_only = read_only || medium.write_protected;
  TSFS_ASSIGN_OR_RETURN(auto image, vtape::TapImage::Open(path, read_only, false));
  target_->ChangeTape(std::move(image), read_only);
  target_->SetMedium(options.capacity, options.early_warning);
  return Status::Ok();
}

std::string VtapeTransport::LastImageError() const {
  std::lock_guard<std::mutex> lock(mu_);
  return target_->last_image_error();
}

}  // namespace tsfs
