#include "tapecore/tstape/json_writer.h"

#include <cstdio>

namespace tsfs::tstape {

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

void JsonWriter::Separator(std::string_view key) {
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
  if (!key.empty()) {
    out_ += JsonQuote(key);
    out_ += ':';
  }
}

JsonWriter& JsonWriter::BeginObject(std::string_view key) {
  Separator(key);
  out_ += '{';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_ += '}';
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::BeginArray(std::string_view key) {
  Separator(key);
  out_ += '[';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_ += ']';
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view key, std::string_view value) {
  Separator(key);
  out_ += JsonQuote(value);
  return *this;
}

JsonWriter& JsonWriter::Number(std::string_view key, uint64_t value) {
  Separator(key);
  out_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::SignedNumber(std::string_view key, int64_t value) {
  Separator(key);
  out_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::Bool(std::string_view key, bool value) {
  Separator(key);
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null(std::string_view key) {
  Separator(key);
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::StringElement(std::string_view value) { return String({}, value); }

std::string JsonWriter::Text() const { return first_.empty() ? out_ + "\n" : out_; }

}  // namespace tsfs::tstape
