// blnk train checks the model against the data before any work: a spec that
// does not end in class scores is an error naming it, never a crash.
#include "cli_test_util.h"

using namespace blnk;
using namespace blnk::cli_test;

TEST_CASE("train: a spec without a dense layer of class scores is refused before training, not a crash") {
  TempDir tmp("nodense");
  const SyntheticFiles set = write_synthetic(tmp, 100, 3);
  for (const char* spec : {"conv8,pool,flatten", "conv8,pool", "flatten,dense10,relu"}) {
    CAPTURE(spec);
    const RunResult r = run_blnk({"train", "--train-images", set.images_path, "--train-labels", set.labels_path,
                                  "--arch", spec, "--quiet", "--out", tmp.file("m.blnk")}, tmp);
    INFO("stderr:\n" << r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.err, "not in class scores"));
    CHECK_FALSE(contains(r.err, "terminate"));
    CHECK_FALSE(std::filesystem::exists(tmp.file("m.blnk")));
  }
}
