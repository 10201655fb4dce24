// A library listed by hand in tsbconf (tsbconf(5)): one [library.N]
// section per library, N in 0..7, named lib0..lib7 as a SOURCE:
//   [library.0]
//   changer = iscsi://127.0.0.1/iqn.2012-08.example:vtl/3   (/dev/sgN, vtlib:DIR?...)
//   drive = iscsi://127.0.0.1/iqn.2012-08.example:vtl/1     (one line per drive;
//   drive = iscsi://127.0.0.1/iqn.2012-08.example:vtl/2      none: found, see library_source.h)
//   buffer-kb = 2048                                         (any key of [unit.N]: the
//                                                             settings of every drive)
// Errors name the file, the line and the key, as for [unit.N].
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tapecore/library/library_config.h"
#include "tapecore/status.h"

namespace tsfs::library {

inline constexpr int kMaxLibraries = 8;

// 3 for "lib3"; nullopt for anything that is not libN.
std::optional<int> LibraryNumber(const std::string& source);

// The [library.N] section of a tsbconf text.
Result<LibraryConfig> ParseLibrarySection(std::string_view text, const std::string& path, int n);

// libN through the configuration file (config_path empty: the default
// one); kNotFound when the file has no [library.N].
Result<LibraryConfig> ResolveLibrary(const std::string& source, const std::string& config_path);

}  // namespace tsfs::library
