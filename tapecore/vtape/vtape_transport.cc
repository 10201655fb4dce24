// PLACEHOLDER until the vtape issue lands.
#include "tapecore/vtape/vtape_transport.h"

namespace tsfs {

Result<std::unique_ptr<Transport>> OpenVtapeTransport(const std::string& spec) {
  return Status::Error(ErrorCode::kUnsupported, "vtape not built yet: " + spec);
}

}  // namespace tsfs
