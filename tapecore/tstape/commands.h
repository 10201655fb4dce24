// tstape subcommands. Each takes the arguments after its name and returns
// the process exit status (0 success, 1 tape/target error, 2 usage error).
#pragma once

#include <string>
#include <vector>

namespace tsfs::tstape {

using Args = std::vector<std::string>;

int RunInquiry(const Args& args);  // tstape inquiry SOURCE
int RunStatus(const Args& args);   // tstape status SOURCE
int RunMt(const Args& args);       // tstape mt SOURCE OP [COUNT]
int RunMkvtape(const Args& args);  // tstape mkvtape PATH [--capacity SIZE]
int RunMklib(const Args& args);    // tstape mklib DIR [--slots N] [--drives N]
int RunDump(const Args& args);     // tstape dump PATH
int RunWrite(const Args& args);    // tstape write SOURCE [FILE]
int RunRead(const Args& args);     // tstape read SOURCE N [FILE]
int RunList(const Args& args);     // tstape list SOURCE
int RunChanger(const Args& args);  // tstape changer SOURCE [OPERATION ...]

}  // namespace tsfs::tstape
