// The choice of transport for a source string: the one place above all
// transports that knows them all (so no transport reaches into another).
// OpenSource opens the transport a source string names:
//   iscsi://[user%secret@]host[:port]/iqn/lun   libiscsi
//   /dev/sgN, /dev/nstN, /dev/stN               SG_IO through libsgutils2 on the sg node
//                                                (a tape node is mapped to its sg peer)
//   vtape:/path/image.tap[?options], PATH.tap    the in-process virtual tape
#pragma once

#include <memory>
#include <string>

#include "tapecore/status.h"
#include "tapecore/transport/transport.h"

namespace tsfs {

Result<std::unique_ptr<Transport>> OpenSource(const std::string& source);

}  // namespace tsfs
