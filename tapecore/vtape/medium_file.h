// The properties of a virtual cartridge, kept beside its image (IMAGE.medium)
// because a SIMH .tap file has no place for them: what `tstape mkvtape` was
// told (capacity, early-warning distance, the write-protect tab). A text file,
// one `key=value` a line, `#` comments:
//
//   # vtape medium of t.tap, made by tstape mkvtape
//   capacity=10M
//   ew=1M
//   write-protect=no
//
// Every open of the image applies them; an option in the source string
// (capacity=, ew=) overrides the file for that open, and `ro` in the source
// protects a medium whose tab is off (the reverse is not possible, as with a
// real cartridge). A missing file means the defaults (44M, 1M, writable).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tapecore/status.h"
#include "tapecore/vtape/vtape_options.h"

namespace tsfs::vtape {

struct MediumProperties {
  std::optional<uint64_t> capacity;
  std::optional<uint64_t> early_warning;
  bool write_protected = false;
};

std::string MediumPathFor(const std::string& image_path);

// The properties of the image at `image_path`: empty ones when there is no
// file; kInvalidArgument naming the file and line when it is malformed.
Result<MediumProperties> ReadMediumFile(const std::string& image_path);

// Writes them (all keys) atomically.
Status WriteMediumFile(const std::string& image_path, const MediumProperties& medium);

// Fills what the source string did not give from the medium, then the
// defaults (the early warning at most half the capacity unless given).
Status ApplyMedium(const MediumProperties& medium, VtapeOptions& options);

}  // namespace tsfs::vtape
