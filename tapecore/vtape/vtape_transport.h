// vtape: an in-process SSC target over a SIMH .tap image.
// Spec: "vtape:/path/t.tap?capacity=44M&ew=1M&ro&fail=write@1200:medium&rate=80&drivebuf=64"
// or a plain path ending in .tap.
#pragma once

#include <memory>
#include <string>

#include "tapecore/status.h"
#include "tapecore/transport/transport.h"

namespace tsfs {

Result<std::unique_ptr<Transport>> OpenVtapeTransport(const std::string& spec);

}  // namespace tsfs
