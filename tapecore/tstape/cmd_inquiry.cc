// tstape inquiry SOURCE [--json]: identify the drive and what it can do.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tapecore/source/open_source.h"
#include "tapecore/ssc/probe.h"
#include "tapecore/ssc/ssc.h"
#include "tapecore/tstape/cli_support.h"
#include "tapecore/tstape/commands.h"
#include "tapecore/tstape/json_writer.h"
#include "tapecore/unit/unit_config.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

namespace {

struct DriveIdentity {
  std::string device;
  InquiryData inquiry;
  std::string serial;
  std::optional<BlockLimits> limits;
  std::string limits_error;
  ModeData mode;
  std::optional<Capabilities> caps;  // empty with --no-probe
};

void PrintText(const DriveIdentity& d) {
  std::printf("device:        %s\n", d.device.c_str());
  std::printf("vendor:        %s\n", d.inquiry.vendor.c_str());
  std::printf("product:       %s\n", d.inquiry.product.c_str());
  std::printf("revision:      %s\n", d.inquiry.revision.c_str());
  std::printf("serial:        %s\n", d.serial.empty() ? "(none)" : d.serial.c_str());
  if (d.limits) {
    std::printf("block limits:  %u..%u bytes\n", d.limits->min_block_length,
                d.limits->max_block_length);
  } else {
    std::printf("block limits:  unknown (%s)\n", d.limits_error.c_str());
  }
  if (d.mode.block_length == 0) {
    std::printf("block size:    variable\n");
  } else {
    std::printf("block size:    %u\n", d.mode.block_length);
  }
  std::printf("write-protect: %s\n", d.mode.write_protect ? "yes" : "no");
  if (!d.caps) return;
  std::printf("capabilities:\n");
  std::istringstream lines(DescribeCapabilities(*d.caps));
  for (std::string line; std::getline(lines, line);) std::printf("  %s\n", line.c_str());
}

// The quirk names of DescribeCapabilities' "quirks:" line.
std::vector<std::string> QuirkNames(const Capabilities& caps) {
  std::vector<std::string> names;
  std::istringstream lines(DescribeCapabilities(caps));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("quirks:", 0) != 0) continue;
    std::istringstream words(line.substr(7));
    for (std::string w; words >> w;) {
      if (w != "none") names.push_back(w);
    }
  }
  return names;
}

// The schema is in tstape(1), JSON OUTPUT; keep the two together.
void PrintJson(const DriveIdentity& d) {
  JsonWriter json;
  json.BeginObject()
      .String("device", d.device)
      .String("vendor", d.inquiry.vendor)
      .String("product", d.inquiry.product)
      .String("revision", d.inquiry.revision)
      .String("serial", d.serial);
  if (d.limits) {
    json.BeginObject("block_limits")
        .Number("min", d.limits->min_block_length)
        .Number("max", d.limits->max_block_length)
        .EndObject();
  } else {
    json.Null("block_limits");
  }
  json.Number("block_size", d.mode.block_length).Bool("write_protect", d.mode.write_protect);
  if (d.caps) {
    const Capabilities& c = *d.caps;
    json.BeginObject("capabilities")
        .Bool("read_position", c.read_position)
        .Bool("read_position_long", c.read_position_long)
        .Bool("read_position_trusted", c.read_position_trusted)
        .Bool("locate", c.locate)
        .Bool("erase", c.erase)
        .Bool("log_sense_capacity", c.log_sense_capacity)
        .Bool("prevent_allow", c.prevent_allow)
        .Bool("blank_at_bot", c.blank_at_bot);
    if (c.capacity) {
      json.BeginObject("capacity")
          .Number("remaining_bytes", c.capacity->remaining_bytes)
          .Number("maximum_bytes", c.capacity->maximum_bytes)
          .EndObject();
    } else {
      json.Null("capacity");
    }
    json.String("known_target", c.known_target).BeginArray("quirks");
    for (const std::string& q : QuirkNames(c)) json.StringElement(q);
    json.EndArray().EndObject();
  } else {
    json.Null("capabilities");
  }
  json.EndObject();
  std::fputs(json.Text().c_str(), stdout);
}

}  // namespace

int RunInquiry(const Args& args) {
  po::options_description visible(
      "Prints vendor, product, revision, serial number, block limits, block size,\n"
      "write protection and the capabilities the probe finds (READ POSITION, LOCATE,\n"
      "ERASE, LOG SENSE, target quirks). The probe sets the block size, rewinds the\n"
      "tape and reads its first record; it never writes (ERASE is tried only on a\n"
      "blank tape). The tape is left at the beginning.\n\noptions");
  uint32_t block_size = 512;
  std::string config_path;
  visible.add_options()("help,h", "this help")("block-size,b",
                                               po::value<uint32_t>(&block_size)->default_value(512),
                                               "block size to select before probing (0: variable)")(
      "no-probe", "identify only: no tape motion")("json", "print JSON (schema in tstape(1))")(
      "config", po::value<std::string>(&config_path),
      "tsbconf configuration file for rts0..rts15 (default /etc/tsfs/tsbconf.conf)");
  visible.add_options()("source", po::value<std::string>()->required(), "tape source");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, "inquiry SOURCE [options]", visible, {"source"}, vm); rc >= 0)
    return rc;
  const bool probe = vm.count("no-probe") == 0;

  Result<UnitConfig> config = ResolveSource(vm["source"].as<std::string>(), config_path);
  if (!config.ok()) return Fail("inquiry", config.status());
  auto transport = OpenSource(config->device);
  if (!transport.ok()) return Fail("inquiry", transport.status());
  Ssc ssc(**transport);

  DriveIdentity d;
  d.device = (*transport)->Describe();
  auto inquiry = ssc.Inquiry();
  if (!inquiry.ok()) return Fail("inquiry", inquiry.status());
  d.inquiry = *inquiry;
  if (Status tape = CheckTapeDevice(*inquiry); !tape.ok()) {
    if (vm.count("json") == 0) {  // what the device says it is, then why it is refused
      std::printf("device:        %s\nvendor:        %s\nproduct:       %s\nrevision:      %s\n",
                  d.device.c_str(), d.inquiry.vendor.c_str(), d.inquiry.product.c_str(),
                  d.inquiry.revision.c_str());
    }
    return Fail("inquiry", tape);
  }
  auto serial = ssc.UnitSerialNumber();
  if (!serial.ok()) return Fail("inquiry", serial.status());
  d.serial = *serial;

  if (Status ready = WaitReady(ssc); !ready.ok()) return Fail("inquiry", ready);
  auto limits = ssc.ReadBlockLimits();
  if (limits.ok()) {
    d.limits = *limits;
  } else {
    d.limits_error = ErrorLine(limits.status());
  }
  if (probe) {
    if (Status s = ssc.ModeSelectBlockLength(block_size); !s.ok()) return Fail("inquiry", s);
  }
  auto mode = ssc.ModeSense();
  if (!mode.ok()) return Fail("inquiry", mode.status());
  d.mode = *mode;
  if (probe) {
    auto caps = ProbeCapabilities(ssc);
    if (!caps.ok()) return Fail("inquiry", caps.status());
    d.caps = *caps;
  }
  if (vm.count("json")) {
    PrintJson(d);
  } else {
    PrintText(d);
  }
  return 0;
}

}  // namespace tsfs::tstape
