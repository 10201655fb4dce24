#include "tapecore/library/library_source.h"

#include "tapecore/smc/smc.h"
#include "tapecore/source/open_source.h"
#include "tapecore/transport/iscsi_url.h"
#include "tapecore/vtlib/vtape_library.h"

namespace tsfs::library {

namespace {

// The same target with another LUN.
std::string WithLun(const IscsiUrl& url, int lun) {
  std::string s = "iscsi://";
  if (!url.user.empty()) s += url.user + "%" + url.secret + "@";
  return s + url.Portal() + "/" + url.target + "/" + std::to_string(lun);
}

Result<std::vector<std::unique_ptr<Transport>>> DiscoverIscsiDrives(Transport& changer,
                                                                    const IscsiUrl& url) {
  smc::Smc smc(changer);
  TSFS_ASSIGN_OR_RETURN(std::vector<uint16_t> luns, smc.ReportLuns());
  std::vector<std::unique_ptr<Transport>> drives;
  for (uint16_t lun : luns) {
    if (lun == url.lun) continue;
    auto t = OpenSource(WithLun(url, lun));
    if (!t.ok()) continue;
    auto inquiry = Ssc(**t).Inquiry();
    if (inquiry.ok() && inquiry->device_type == 0x01 && inquiry->peripheral_qualifier == 0) {
      drives.push_back(std::move(t).value());
    }
  }
  return drives;
}

}  // namespace

Result<LibraryTransports> OpenLibraryTransports(const LibraryConfig& config) {
  LibraryTransports out;
  if (vtlib::IsVtlibSource(config.changer)) {
    TSFS_ASSIGN_OR_RETURN(auto lib, vtlib::VtapeLibrary::Open(config.changer));
    out.changer = lib->OpenChanger();
    for (int i = 0; i < lib->drive_count(); ++i) {
      TSFS_ASSIGN_OR_RETURN(auto drive, lib->OpenDrive(i));
      out.drives.push_back(std::move(drive));
    }
  } else {
    TSFS_ASSIGN_OR_RETURN(out.changer, OpenSource(config.changer));
  }
  smc::Smc smc(*out.changer);
  TSFS_ASSIGN_OR_RETURN(InquiryData inquiry, smc.Inquiry());
  TSFS_RETURN_IF_ERROR(smc::CheckChangerDevice(inquiry).WithContext(config.changer));
  if (!config.drives.empty()) {
    out.drives.clear();
    for (const std::string& source : config.drives) {
      TSFS_ASSIGN_OR_RETURN(auto drive, OpenSource(source));
      out.drives.push_back(std::move(drive));
    }
  } else if (out.drives.empty() && config.changer.rfind("iscsi://", 0) == 0) {
    TSFS_ASSIGN_OR_RETURN(IscsiUrl url, ParseIscsiUrl(config.changer));
    TSFS_ASSIGN_OR_RETURN(out.drives, DiscoverIscsiDrives(*out.changer, url));
  }
  if (out.drives.empty()) {
    return Status::Error(ErrorCode::kNotFound,
                         "no drives for the library " + config.changer +
                             ": list them in the [library.N] section (drive = ...)");
  }
  return out;
}

}  // namespace tsfs::library
