#include "tests/support/test_library.h"

#include <cstdio>

#include "tapecore/source/open_source.h"
#include "tapecore/vtape/tap_image.h"

namespace tsfs::testing {

const char* LibraryKindName(LibraryKind kind) {
  return kind == LibraryKind::kVtlib ? "vtlib" : "tgtd";
}

std::string TestLibrary::barcode(int i) const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "LIB%03d", i + 1);
  return buf;
}

Result<std::unique_ptr<Transport>> TestLibrary::OpenChanger() {
  if (vtlib) return vtlib->OpenChanger();
  return OpenSource(changer_source);
}

Result<std::unique_ptr<Transport>> TestLibrary::OpenDrive(int index) {
  if (vtlib) return vtlib->OpenDrive(index);
  if (index < 0 || index >= static_cast<int>(drive_sources.size())) {
    return Status::Error(ErrorCode::kNotFound, "no drive " + std::to_string(index));
  }
  return OpenSource(drive_sources[index]);
}

Status TestLibrary::RemoveDrive(int index) {
  if (index < 0 || index >= options.drives) {
    return Status::Error(ErrorCode::kNotFound, "no drive " + std::to_string(index));
  }
  if (vtlib) {
    vtlib->DriveGoesAway(index);
    return Status::Ok();
  }
  return tgtd->RemoveDrive(index);
}

Result<std::unique_ptr<TestLibrary>> StartTestLibrary(LibraryKind kind,
                                                      const LibraryOptions& options,
                                                      const std::string& vtlib_extra) {
  auto lib = std::make_unique<TestLibrary>();
  lib->kind = kind;
  lib->options = options;
  if (kind == LibraryKind::kTgtd) {
    TSFS_ASSIGN_OR_RETURN(lib->tgtd, StartTgtdLibrary(options));
    lib->changer_source = lib->tgtd->changer_uri();
    lib->drive_sources = lib->tgtd->drive_uris();
    return lib;
  }
  TSFS_ASSIGN_OR_RETURN(lib->dir, TempDir::Create("tsfs-vtlib"));
  for (int i = 0; i < options.cartridges; ++i) {
    TSFS_ASSIGN_OR_RETURN(
        auto image, vtape::TapImage::Open(lib->dir.File(lib->barcode(i) + ".tap"), false, true));
  }
  lib->changer_source = "vtlib:" + lib->dir.path() + "?drives=" + std::to_string(options.drives) +
                        "&slots=" + std::to_string(options.slots) +
                        "&ie=0&capacity=" + std::to_string(options.size_mb) + "M";
  if (!vtlib_extra.empty()) lib->changer_source += "&" + vtlib_extra;
  TSFS_ASSIGN_OR_RETURN(lib->vtlib, vtlib::VtapeLibrary::Open(lib->changer_source));
  return lib;
}

}  // namespace tsfs::testing
