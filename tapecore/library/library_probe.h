// Whether a source string names a tape library (a media changer) rather
// than one tape drive: tsfs and tstape mount or open a library when it does.
//   vtlib:DIR[?...]                   always (the vtape library)
//   iscsi://.../LUN, /dev/sgN          when INQUIRY says peripheral type 8
//   anything else (.tap, vtape:, nst)  never (no command is sent)
#pragma once

#include <string>

#include "tapecore/status.h"

namespace tsfs::library {

Result<bool> NamesChanger(const std::string& source);

}  // namespace tsfs::library
