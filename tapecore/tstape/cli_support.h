// Small helpers shared by the tstape subcommands that talk to a drive:
// opening a source, clearing a pending UNIT ATTENTION, and the one-line error
// format (the ts words, then the decoded sense).
#pragma once

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <memory>
#include <string>
#include <vector>

#include "tapecore/ssc/ssc.h"
#include "tapecore/status.h"
#include "tapecore/transport/transport.h"
#include "tapecore/tstape/commands.h"

namespace tsfs::tstape {

// "Media error on write (Medium Error: Unrecovered read error; info 0x3)":
// the Status message with its context where it adds something, then the
// sense decoded by libsgutils2 on the same line.
std::string ErrorLine(const Status& status);

// Prints "tstape COMMAND: <ErrorLine>" on stderr and returns exit status 1.
int Fail(const char* command, const Status& status);

// Parses args with `desc`; `positional` names the operands in order. Prints
// "usage: tstape SYNOPSIS" with the options and returns 0 on --help, 2 on a
// usage error (a missing operand included); -1 to go on.
int ParseCommandLine(const Args& args, const char* synopsis,
                     boost::program_options::options_description& desc,
                     const std::vector<std::string>& positional,
                     boost::program_options::variables_map& vm);

// TEST UNIT READY until a pending UNIT ATTENTION (tgtd: 29/00 on the first
// command of a session) is gone; the last status otherwise.
Status WaitReady(Ssc& ssc);

}  // namespace tsfs::tstape
