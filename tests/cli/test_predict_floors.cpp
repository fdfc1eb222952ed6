// The floors of `blnk predict` with the bundled model, through the real binary:
//  - the 10,000 MNIST test images written as 28x28 PNG files and read back
//    through the full preprocessing score within 0.3 points of `blnk eval` on
//    the IDX files;
//  - at least 90% of ../shared/data/photo-digits (label = first character).
// Each skips, saying so, when its data is absent.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>

#include "cli/cli_test_util.h"
#include "data/image_write.h"

using namespace blnk;
using namespace blnk::cli_test;

namespace {

constexpr double kMaxAgreementGapPoints = 0.3;
constexpr double kPhotoFloorPercent = 90.0;

struct Tally {
  int count = 0, correct = 0, failed = 0;
  std::vector<std::string> misread;
  double percent() const { return count ? 100.0 * correct / count : 0.0; }
};

// Reads `blnk predict --json` lines; `label_of` gives each file's label.
template <typename LabelOf>
Tally tally_predictions(const std::string& json_lines, LabelOf label_of) {
  Tally t;
  for (const std::string& line : lines_of(json_lines)) {
    const Json j = parse_json(line);
    ++t.count;
    const std::string file = j["file"].text;
    if (!j.has("digit")) {
      ++t.failed;
      t.misread.push_back(file + " (" + j["error"].text + ")");
    } else if (int(j["digit"].number) == label_of(file)) {
      ++t.correct;
    } else {
      t.misread.push_back(file + " read as " + std::to_string(int(j["digit"].number)));
    }
  }
  return t;
}

}  // namespace

TEST_CASE("floor: MNIST test images as PNG files through predict agree with eval within 0.3 points") {
  if (!have_mnist()) return;
  const MnistTest& m = *mnist_test();
  TempDir tmp("agreement");
  const std::string dir = tmp.dir("png");
  for (int i = 0; i < m.images.count; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "%05d_%d.png", i, m.labels.labels[i]);
    // Plain writes: data::write_png is atomic and fsyncs, ~8 ms a file here.
    write_bytes(dir + "/" + name, data::encode_png(std::span(m.images.image(i), 784), 28, 28, 1));
  }
  const RunResult p = run_blnk({"predict", "--json", dir}, tmp);
  REQUIRE_MESSAGE(p.status <= 1, p.err);
  const Tally t = tally_predictions(p.out, [](const std::string& file) {
    const std::string stem = std::filesystem::path(file).stem().string();
    return stem.back() - '0';
  });
  REQUIRE(t.count == m.images.count);

  const std::string dir_mnist = mnist_dir();
  const std::string gz = std::filesystem::exists(dir_mnist + "/t10k-images-idx3-ubyte.gz") ? ".gz" : "";
  const RunResult e = run_blnk({"eval", "--json", "--test-images", dir_mnist + "/t10k-images-idx3-ubyte" + gz,
                                "--test-labels", dir_mnist + "/t10k-labels-idx1-ubyte" + gz},
                               tmp);
  REQUIRE_MESSAGE(e.status == 0, e.err);
  const Json ev = parse_json(e.out);
  const double eval_percent = 100.0 * ev["accuracy"].number;
  std::string first_misread;
  for (std::size_t i = 0; i < t.misread.size() && i < 10; ++i) first_misread += "\n  " + t.misread[i];
  MESSAGE("MNIST test as 28x28 PNG through blnk predict: " << t.correct << " of " << t.count << " = " << t.percent()
                                                          << "% (" << t.failed << " not read); blnk eval on IDX: "
                                                          << eval_percent << "%; first misreads:" << first_misread);
  CHECK(std::abs(t.percent() - eval_percent) <= kMaxAgreementGapPoints);
}

TEST_CASE("floor: at least 90% of the photographed digits in shared/data/photo-digits") {
  const std::string dir = blnk::testing::shared_data_dir("photo-digits");
  if (!blnk::testing::have_data(dir)) return;
  TempDir tmp("photos");
  const RunResult p = run_blnk({"predict", "--json", dir}, tmp);
  REQUIRE_MESSAGE(p.status <= 1, p.err);
  const Tally t = tally_predictions(p.out, [](const std::string& file) {
    return std::filesystem::path(file).filename().string()[0] - '0';
  });
  std::string misread;
  for (const std::string& s : t.misread) misread += "\n  " + s;
  MESSAGE("photo-digits: " << t.correct << " of " << t.count << " = " << t.percent() << "%" << misread);
  CHECK(t.count >= 100);
  CHECK(t.percent() >= kPhotoFloorPercent);
}
