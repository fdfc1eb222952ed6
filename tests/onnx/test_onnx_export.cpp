// The ONNX export on the C++ side: every layer kind blnk has maps to ONNX, Dropout
// leaves no node, errors name the model. The numbers themselves are checked by
// independent readers (ONNX Runtime, OpenCV, onnx.checker) in the other onnx tests.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>

#include "base/error.h"
#include "engine/model_file.h"
#include "layers/registry.h"
#include "onnx/onnx_export.h"

using namespace blnk;

namespace {

bool contains(const std::vector<std::uint8_t>& bytes, const std::string& text) {
  return std::search(bytes.begin(), bytes.end(), text.begin(), text.end()) != bytes.end();
}

std::vector<std::uint8_t> export_spec(const std::string& spec) {
  Network net(spec);
  net.init(3);
  return onnx::export_onnx(model_file_of(net), "test.blnk", {.blnk_version = "test"});
}

}  // namespace

TEST_CASE("every registered layer kind exports to the ONNX operators it stands for") {
  // One spec per kind; a new kind without an entry here fails this test.
  const std::map<std::string, std::pair<std::string, std::string>> examples = {
      {"conv", {"conv4:k=3x2:s=2,flatten,dense10", "Conv"}},
      {"pool", {"pool:k=3:s=2:pad=same,flatten,dense10", "MaxPool"}},
      {"drop", {"drop0.5,flatten,dense10", "Flatten"}},
      {"flatten", {"conv2,flatten,dense10", "Transpose"}},
      {"dense", {"flatten,dense16,dense10", "MatMul"}},
      {"relu", {"flatten,dense16:act=linear,relu,dense10", "Relu"}},
      {"bn", {"conv4,pool,bn,flatten,dense10", "batch_normalization/Mul"}},  // not after a linear conv: unfolded
      {"avgpool", {"avgpool:k=3,flatten,dense10", "AveragePool"}},
      {"gap", {"conv4,gap,dense10", "GlobalAveragePool"}},
      {"res", {"res4:s=2,flatten,dense10", "residual_block/Add"}},
  };
  for (const LayerKind& kind : layer_kinds()) {
    CAPTURE(kind.name);
    const auto it = examples.find(kind.name);
    REQUIRE_MESSAGE(it != examples.end(), "add an example spec for the new layer kind here");
    const auto bytes = export_spec(it->second.first);
    CHECK(contains(bytes, it->second.second));
    CHECK(contains(bytes, "Softmax"));
    CHECK_FALSE(contains(bytes, "Dropout"));
  }
}

TEST_CASE("bn after a linear conv or dense and in a residual block is folded into the convolutions") {
  const auto bytes = export_spec("conv4,bn,res4,res8:s=2,flatten,dense16,bn,dense10");
  CHECK_FALSE(contains(bytes, "/Mul"));
  CHECK_FALSE(contains(bytes, "batch_normalization/"));
  CHECK_FALSE(contains(bytes, "_bn/"));
  CHECK(contains(bytes, "residual_block_1/shortcut/Conv"));
  CHECK(contains(bytes, "residual_block/conv2/Conv"));
  CHECK(contains(bytes, "bn:act=relu"));  // the trained spec, in the metadata
}

TEST_CASE("the spec and the model file's metadata travel as metadata properties") {
  Network net("conv2,pool,flatten,dense10");
  net.init(1);
  ModelFile file = model_file_of(net);
  file.set_metadata("trained.epochs", "7");
  const auto bytes = onnx::export_onnx(file, "m.blnk", {.blnk_version = "9.9.9"});
  CHECK(contains(bytes, "blnk.spec"));
  CHECK(contains(bytes, net.spec()));
  CHECK(contains(bytes, "trained.epochs"));
  CHECK(contains(bytes, "blnk 9.9.9"));
}

TEST_CASE("a model file whose tensors do not fit its spec is refused, naming the file") {
  Network net("flatten,dense10");
  ModelFile file = model_file_of(net);
  file.tensors.pop_back();
  CHECK_THROWS_WITH_AS(onnx::export_onnx(file, "broken.blnk", {}), doctest::Contains("broken.blnk"), Error);
}
