#include "tapecore/tstape/cli_support.h"

#include <boost/program_options/parsers.hpp>
#include <boost/program_options/positional_options.hpp>
#include <cstdio>
#include <iostream>

#include "tapecore/scsi/sense.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

int ParseCommandLine(const Args& args, const char* synopsis, po::options_description& desc,
                     const std::vector<std::string>& positional, po::variables_map& vm) {
  po::positional_options_description pos;
  for (const auto& p : positional) pos.add(p.c_str(), 1);
  try {
    po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: tstape " << synopsis << "\n\n" << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "tstape: " << e.what() << "\nusage: tstape " << synopsis << "\n";
    return 2;
  }
  return -1;
}

std::string ErrorLine(const Status& status) {
  std::string line;
  // The ts message already names the command ("Media error on write"); other
  // messages get their context in front.
  if (!status.context().empty() && status.sense() == nullptr) line = status.context() + ": ";
  line += status.message().empty() ? ErrorCodeName(status.code()) : status.message();
  if (const SenseData* sense = status.sense(); sense != nullptr && !sense->raw.empty()) {
    // sg_get_sense_str answers several lines; keep one.
    std::string decoded;
    bool space = false;
    for (char c : DescribeSense(sense->raw)) {
      if (c == '\n') {
        decoded += ";";
        space = true;
      } else if (c == ' ' || c == '\t') {
        space = true;
      } else {
        if (space && !decoded.empty()) decoded += ' ';
        space = false;
        decoded += c;
      }
    }
    line += " (" + decoded + ")";
  }
  return line;
}

int Fail(const char* command, const Status& status) {
  std::fprintf(stderr, "tstape %s: %s\n", command, ErrorLine(status).c_str());
  return 1;
}

Status WaitReady(Ssc& ssc) {
  Status ready;
  for (int i = 0; i < 4; ++i) {
    ready = ssc.TestUnitReady();
    if (ready.ok() || ready.sense() == nullptr || ready.sense()->key != SenseKey::kUnitAttention) {
      break;
    }
  }
  return ready;
}

}  // namespace tsfs::tstape
