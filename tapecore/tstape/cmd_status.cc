// tstape status SOURCE [--json]: position, block size, write protection,
// bytes moved and repositions.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "tapecore/source/open_source.h"
#include "tapecore/ssc/ssc.h"
#include "tapecore/tstape/cli_support.h"
#include "tapecore/tstape/commands.h"
#include "tapecore/tstape/json_writer.h"
#include "tapecore/unit/unit_config.h"

namespace tsfs::tstape {

namespace po = boost::program_options;

namespace {

struct DriveStatus {
  std::string device;
  bool online = false;
  std::optional<ModeData> mode;
  std::optional<Position> position;  // empty: not read or not answered
  std::string position_error;        // why there is no position
  // Bytes the drive moved and its repositions (LOG SENSE page 0x0C; a
  // vtape's counters start when its transport opens, a real drive's at its
  // power-on).
  std::optional<DriveActivity> activity;
  std::string activity_error;  // why there is no activity
};

void PrintText(const DriveStatus& s) {
  std::printf("device:        %s\n", s.device.c_str());
  std::printf("online:        %s\n", s.online ? "yes" : "no");
  if (!s.mode) return;
  if (s.mode->block_length == 0) {
    std::printf("block size:    variable\n");
  } else {
    std::printf("block size:    %u\n", s.mode->block_length);
  }
  std::printf("write-protect: %s\n", s.mode->write_protect ? "yes" : "no");
  if (!s.position) {
    std::printf("position:      unknown (%s)\n", s.position_error.c_str());
  } else if (s.position->position_unknown) {
    // tgtd: READ POSITION always answers "block position unknown".
    std::printf("position:      unknown (the drive does not report it)\n");
  } else {
    std::printf("position:      block %llu%s%s\n",
                static_cast<unsigned long long>(s.position->block), s.position->bop ? ", BOT" : "",
                s.position->eop ? ", early warning" : "");
  }
  if (!s.activity) {
    std::printf("repositions:   not reported (%s)\n", s.activity_error.c_str());
    return;
  }
  std::printf("tape moved:    %llu bytes written, %llu bytes read\n",
              static_cast<unsigned long long>(s.activity->bytes_to_medium),
              static_cast<unsigned long long>(s.activity->bytes_from_medium));
  if (s.activity->repositions) {
    std::printf("repositions:   %llu (%llu tape starts)\n",
                static_cast<unsigned long long>(*s.activity->repositions),
                static_cast<unsigned long long>(s.activity->tape_starts.value_or(0)));
  } else {
    std::printf("repositions:   not reported by the drive\n");
  }
}

// The schema is in tstape(1), JSON OUTPUT; keep the two together.
void PrintJson(const DriveStatus& s) {
  JsonWriter json;
  json.BeginObject().String("device", s.device).Bool("online", s.online);
  if (s.mode) {
    json.Number("block_size", s.mode->block_length).Bool("write_protect", s.mode->write_protect);
  } else {
    json.Null("block_size").Null("write_protect");
  }
  if (s.position && !s.position->position_unknown) {
    json.BeginObject("position")
        .Number("block", s.position->block)
        .Bool("bot", s.position->bop)
        .Bool("early_warning", s.position->eop)
        .EndObject();
  } else {
    json.Null("position");
  }
  if (s.activity) {
    json.BeginObject("activity")
        .Number("bytes_written", s.activity->bytes_to_medium)
        .Number("bytes_read", s.activity->bytes_from_medium);
    if (s.activity->repositions) {
      json.Number("repositions", *s.activity->repositions)
          .Number("tape_starts", s.activity->tape_starts.value_or(0));
    } else {
      json.Null("repositions").Null("tape_starts");
    }
    json.EndObject();
  } else {
    json.Null("activity");
  }
  json.EndObject();
  std::fputs(json.Text().c_str(), stdout);
}

}  // namespace

int RunStatus(const Args& args) {
  po::options_description visible(
      "Prints the tape position (as the drive reports it), the block size, the write\n"
      "protection, the bytes the drive moved and its repositions. Moves nothing and\n"
      "changes no setting.\n\noptions");
  std::string config_path;
  visible.add_options()("help,h", "this help")("json", "print JSON (schema in tstape(1))")(
      "config", po::value<std::string>(&config_path),
      "tsbconf configuration file for rts0..rts15 (default /etc/tsfs/tsbconf.conf)");
  visible.add_options()("source", po::value<std::string>()->required(), "tape source");
  po::variables_map vm;
  if (int rc = ParseCommandLine(args, "status SOURCE [--json]", visible, {"source"}, vm); rc >= 0) {
    return rc;
  }
  const bool json = vm.count("json") > 0;

  Result<UnitConfig> config = ResolveSource(vm["source"].as<std::string>(), config_path);
  if (!config.ok()) return Fail("status", config.status());
  auto transport = OpenSource(config->device);
  if (!transport.ok()) return Fail("status", transport.status());
  Ssc ssc(**transport);
  auto inquiry = ssc.Inquiry();
  if (!inquiry.ok()) return Fail("status", inquiry.status());
  if (Status tape = CheckTapeDevice(*inquiry); !tape.ok()) return Fail("status", tape);
  DriveStatus s;
  s.device = (*transport)->Describe();
  const Status ready = WaitReady(ssc);
  s.online = ready.ok();
  Status failed = ready;
  if (s.online) {
    auto mode = ssc.ModeSense();
    if (mode.ok()) {
      s.mode = *mode;
      auto position = ssc.ReadPosition(false);
      if (position.ok()) {
        s.position = *position;
      } else {
        s.position_error = ErrorLine(position.status());
      }
    } else {
      failed = mode.status();
    }
  }
  if (s.online) {
    auto activity = ssc.LogSenseDriveActivity(inquiry->vendor == "TSFS");
    if (activity.ok()) {
      s.activity = *activity;
    } else {
      s.activity_error = ErrorLine(activity.status());
    }
  }
  if (json) {
    PrintJson(s);
  } else {
    PrintText(s);
  }
  if (!failed.ok()) return Fail("status", failed);
  return 0;
}

}  // namespace tsfs::tstape
