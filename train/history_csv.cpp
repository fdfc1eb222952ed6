// Per-epoch history rows (see history_csv.h).
#include "train/history_csv.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "base/error.h"

namespace blnk::train {
namespace {

constexpr int kFields = 9;

void append_value(std::string& out, double v, const char* readable_format, CsvPrecision precision) {
  out += ',';
  if (v < 0) return;  // a value that does not exist: empty
  char buf[64];
  std::snprintf(buf, sizeof buf, precision == CsvPrecision::exact ? "%a" : readable_format, v);
  out += buf;
}

// One field: empty or negative is "does not exist" (-1); anything else must be a finite number.
bool parse_value(const std::string& field, double& v) {
  if (field.empty()) {
    v = -1;
    return true;
  }
  char* end = nullptr;
  v = std::strtod(field.c_str(), &end);
  if (end != field.c_str() + field.size() || !std::isfinite(v)) return false;
  if (v < 0) v = -1;
  return true;
}

}  // namespace

std::string history_csv_header() {
  return "epoch,train_loss,train_accuracy,val_loss,val_accuracy,test_loss,test_accuracy,seconds,images_per_second\n";
}

std::string history_csv_row(const EpochStats& e, CsvPrecision precision) {
  std::string row = std::to_string(e.epoch);
  for (double v : {e.train_loss, e.train_accuracy, e.val_loss, e.val_accuracy, e.test_loss, e.test_accuracy})
    append_value(row, v, "%.6f", precision);
  append_value(row, e.seconds, "%.3f", precision);
  append_value(row, e.images_per_second, "%.1f", precision);
  row += '\n';
  return row;
}

std::vector<std::vector<EpochStats>> parse_history_csv(const std::string& text, const std::string& name) {
  std::vector<std::vector<EpochStats>> runs;
  std::istringstream lines(text);
  std::string line;
  int line_no = 0;
  bool new_run = true;
  while (std::getline(lines, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line.rfind("epoch", 0) == 0) {
      new_run = true;
      continue;
    }
    std::vector<std::string> fields;
    std::stringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) fields.push_back(cell);
    if (line.back() == ',') fields.emplace_back();
    EpochStats e;
    double values[kFields - 1];
    bool ok = fields.size() == kFields;
    char* end = nullptr;
    if (ok) {
      const long epoch = std::strtol(fields[0].c_str(), &end, 10);
      ok = !fields[0].empty() && *end == '\0' && epoch >= 1 && epoch <= (1 << 24);
      e.epoch = int(epoch);
    }
    for (int i = 1; ok && i < kFields; ++i) ok = parse_value(fields[std::size_t(i)], values[i - 1]);
    if (!ok)
      throw Error(name + ": line " + std::to_string(line_no) + " is not a history row of 9 values ('" +
                  line.substr(0, 80) + "')");
    e.train_loss = values[0];
    e.train_accuracy = values[1];
    e.val_loss = values[2];
    e.val_accuracy = values[3];
    e.test_loss = values[4];
    e.test_accuracy = values[5];
    e.seconds = values[6];
    e.images_per_second = values[7];
    if (new_run || runs.back().back().epoch + 1 != e.epoch) runs.emplace_back();
    new_run = false;
    runs.back().push_back(e);
  }
  return runs;
}

}  // namespace blnk::train
