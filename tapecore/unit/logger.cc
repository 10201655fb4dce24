#include "tapecore/unit/logger.h"

#include <syslog.h>

#include <cstdio>
#include <string>

namespace tsfs {

namespace {

int SyslogPriority(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return LOG_DEBUG;
    case LogLevel::kInfo:
      return LOG_INFO;
    case LogLevel::kWarning:
      return LOG_WARNING;
    case LogLevel::kError:
      return LOG_ERR;
  }
  return LOG_NOTICE;
}

std::string JoinUnit(std::string_view unit, std::string_view line) {
  std::string out;
  out.reserve(unit.size() + line.size() + 2);
  if (!unit.empty()) {
    out.append(unit);
    out.append(": ");
  }
  out.append(line);
  return out;
}

}  // namespace

SystemLogger::SystemLogger(std::string ident, bool to_syslog, bool to_stderr)
    : ident_(std::move(ident)), to_syslog_(to_syslog), to_stderr_(to_stderr) {
  // openlog keeps the pointer: ident_ lives as long as this logger.
  if (to_syslog_) openlog(ident_.c_str(), LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

SystemLogger::~SystemLogger() {
  if (to_syslog_) closelog();
}

void SystemLogger::Log(LogLevel level, std::string_view unit, std::string_view line) {
  const std::string text = JoinUnit(unit, line);
  if (to_syslog_) syslog(SyslogPriority(level), "%s", text.c_str());
  if (to_stderr_) {
    std::lock_guard<std::mutex> lock(mu_);
    std::fprintf(stderr, "%s: %s\n", ident_.c_str(), text.c_str());
    std::fflush(stderr);
  }
}

void CapturingLogger::Log(LogLevel /*level*/, std::string_view unit, std::string_view line) {
  std::lock_guard<std::mutex> lock(mu_);
  lines_.push_back(JoinUnit(unit, line));
}

std::vector<std::string> CapturingLogger::Lines() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lines_;
}

bool CapturingLogger::Contains(std::string_view fragment) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& l : lines_) {
    if (l.find(fragment) != std::string::npos) return true;
  }
  return false;
}

}  // namespace tsfs
