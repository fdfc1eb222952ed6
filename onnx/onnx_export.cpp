// The ONNX graph of a blnk network, written with our own protobuf writer
// (onnx/protobuf_writer.h). Field numbers are onnx.proto's (ONNX 1.12, as Debian's
// libonnx-dev ships it in /usr/include/onnx/onnx.proto).
#include "onnx/onnx_export.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "base/error.h"
#include "engine/fold.h"
#include "layers/avgpool2d.h"
#include "layers/batchnorm.h"
#include "layers/conv2d.h"
#include "layers/dense.h"
#include "layers/flatten.h"
#include "layers/relu.h"
#include "layers/maxpool2d.h"
#include "layers/residual.h"
#include "onnx/protobuf_writer.h"

namespace blnk::onnx {
namespace {

// onnx.proto field numbers, one namespace per message.
namespace model_proto {
constexpr int kIrVersion = 1, kProducerName = 2, kProducerVersion = 3, kDocString = 6, kGraph = 7,
              kOpsetImport = 8, kMetadataProps = 14;
}
namespace opset_id_proto {
constexpr int kDomain = 1, kVersion = 2;
}
namespace string_string_entry_proto {
constexpr int kKey = 1, kValue = 2;
}
namespace graph_proto {
constexpr int kNode = 1, kName = 2, kInitializer = 5, kInput = 11, kOutput = 12;
}
namespace node_proto {
constexpr int kInput = 1, kOutput = 2, kName = 3, kOpType = 4, kAttribute = 5;
}
namespace attribute_proto {
constexpr int kName = 1, kI = 3, kInts = 8, kType = 20;
constexpr int kTypeInt = 2, kTypeInts = 7;  // AttributeType
}
namespace tensor_proto {
constexpr int kDims = 1, kDataType = 2, kName = 8, kRawData = 9;
constexpr int kFloat = 1;  // DataType
}
namespace value_info_proto {
constexpr int kName = 1, kType = 2;
}
namespace type_proto {
constexpr int kTensorType = 1;
constexpr int kTensorElemType = 1, kTensorShape = 2;  // TypeProto.Tensor
constexpr int kShapeDim = 1;                          // TensorShapeProto
constexpr int kDimValue = 1, kDimParam = 2;           // TensorShapeProto.Dimension
}

constexpr const char* kBatchDim = "N";

ProtoWriter int_attribute(const std::string& name, std::int64_t value) {
  ProtoWriter a;
  a.string_field(attribute_proto::kName, name);
  a.varint_field(attribute_proto::kType, attribute_proto::kTypeInt);
  a.varint_field(attribute_proto::kI, std::uint64_t(value));
  return a;
}

ProtoWriter ints_attribute(const std::string& name, const std::vector<std::int64_t>& values) {
  ProtoWriter a;
  a.string_field(attribute_proto::kName, name);
  a.varint_field(attribute_proto::kType, attribute_proto::kTypeInts);
  a.packed_int64s(attribute_proto::kInts, values);
  return a;
}

// A float32 tensor value (N for the batch dimension, then fixed sizes).
ProtoWriter batched_value_info(const std::string& name, const std::vector<int>& dims) {
  ProtoWriter shape;
  ProtoWriter batch;
  batch.string_field(type_proto::kDimParam, kBatchDim);
  shape.message(type_proto::kShapeDim, batch);
  for (int d : dims) {
    ProtoWriter dim;
    dim.varint_field(type_proto::kDimValue, std::uint64_t(d));
    shape.message(type_proto::kShapeDim, dim);
  }
  ProtoWriter tensor;
  tensor.varint_field(type_proto::kTensorElemType, tensor_proto::kFloat);
  tensor.message(type_proto::kTensorShape, shape);
  ProtoWriter type;
  type.message(type_proto::kTensorType, tensor);
  ProtoWriter info;
  info.string_field(value_info_proto::kName, name);
  info.message(value_info_proto::kType, type);
  return info;
}

// The pads after a dimension: what the last window reaches past the input (never
// negative: `valid` windows that do not reach the end just leave it unread).
std::int64_t pad_after(int in, int kernel, int stride, const PaddedDim& d) {
  return std::max(0, (d.out - 1) * stride + kernel - in - d.pad_before);
}

std::vector<std::int64_t> onnx_pads(Shape in, int kernel_h, int kernel_w, int stride_h, int stride_w,
                                    Padding padding) {
  const PaddedDim rows = padded_dim(in.h, kernel_h, stride_h, padding);
  const PaddedDim cols = padded_dim(in.w, kernel_w, stride_w, padding);
  // ONNX order: every dimension's start, then every dimension's end.
  return {rows.pad_before, cols.pad_before, pad_after(in.h, kernel_h, stride_h, rows),
          pad_after(in.w, kernel_w, stride_w, cols)};
}

const float* param_of(const Layer& layer, const float* block, const std::string& param) {
  for (const ParamInfo& p : layer.param_info())
    if (p.name == param) return block + p.offset;
  throw Error("ONNX export: layer " + layer.spec() + " has no parameter '" + param + "'");
}

// Builds the graph node by node; `current_` names the tensor the next layer reads.
class GraphBuilder {
 public:
  explicit GraphBuilder(const Network& net) : net_(net) {}

  ProtoWriter build(const std::string& model_name) {
    graph_.string_field(graph_proto::kName, "blnk");
    const Shape in = net_.input_shape();
    current_ = kInputName;
    spatial_ = true;
    shape_ = in;
    const std::span<const float> params = net_.params();
    for (std::size_t i = 0; i < net_.layers().size(); ++i)
      add_layer(*net_.layers()[i], net_.layer_names()[i], params.data() + net_.layer_param_offset(i),
                net_.state().data() + net_.layer_state_offset(i), model_name);
    if (spatial_) flatten_in_blnk_order("output");
    add_node("Softmax", "output/Softmax", {current_}, {int_attribute("axis", 1)}, kOutputName);
    graph_.message(graph_proto::kInput, batched_value_info(kInputName, {in.c, in.h, in.w}));
    graph_.message(graph_proto::kOutput, batched_value_info(kOutputName, {net_.num_classes()}));
    return std::move(graph_);
  }

 private:
  void add_layer(const Layer& layer, const std::string& name, const float* block, const float* state,
                 const std::string& model_name) {
    if (const auto* conv = dynamic_cast<const Conv2D*>(&layer)) {
      add_conv(*conv, name, block);
    } else if (const auto* pool = dynamic_cast<const AvgPool2D*>(&layer)) {
      const Window& w = pool->window();
      add_node("AveragePool", name + "/AveragePool", {current_},
               {ints_attribute("kernel_shape", {w.kernel_h, w.kernel_w}), ints_attribute("strides", {w.stride_h, w.stride_w}),
                ints_attribute("pads", onnx_pads(layer.input_shape(), w.kernel_h, w.kernel_w, w.stride_h, w.stride_w,
                                                 Padding::valid))});
    } else if (dynamic_cast<const GlobalAvgPool*>(&layer)) {
      add_node("GlobalAveragePool", name + "/GlobalAveragePool", {current_});  // (N, C, 1, 1)
    } else if (const auto* bn = dynamic_cast<const BatchNorm*>(&layer)) {
      add_batch_norm(*bn, name, block, state);
    } else if (const auto* res = dynamic_cast<const ResidualBlock*>(&layer)) {
      if (res->batch_norm()) throw Error(model_name + ": ONNX export: residual block '" + layer.spec() + "' not folded");
      add_residual(*res, name, block);
    } else if (const auto* pool = dynamic_cast<const MaxPool2D*>(&layer)) {
      const MaxPool2DConfig& c = pool->config();
      add_node("MaxPool", name + "/MaxPool", {current_},
               {ints_attribute("kernel_shape", {c.pool_h, c.pool_w}),
                ints_attribute("strides", {c.stride_h, c.stride_w}),
                ints_attribute("pads", onnx_pads(layer.input_shape(), c.pool_h, c.pool_w, c.stride_h,
                                                 c.stride_w, c.padding))});
    } else if (const auto* dense = dynamic_cast<const Dense*>(&layer)) {
      add_dense(*dense, name, block);
    } else if (dynamic_cast<const Flatten*>(&layer)) {
      flatten_in_blnk_order(name);
    } else if (dynamic_cast<const ReLU*>(&layer)) {
      add_node("Relu", name + "/Relu", {current_});
    } else if (!layer.is_identity(Mode::inference)) {
      throw Error(model_name + ": ONNX export: no ONNX operators for layer '" + layer.spec() + "' (" +
                  layer.kind() + ")");
    }  // else Dropout: the identity at inference, left out
    shape_ = layer.output_shape();
  }

  void add_conv(const Conv2D& conv, const std::string& name, const float* block) {
    const Conv2DConfig& c = conv.config();
    const Shape in = conv.input_shape();
    // blnk's kernel is (kh, kw, in, out) as Keras stores it; ONNX's Conv wants (out, in, kh, kw).
    const float* kernel = param_of(conv, block, "kernel");
    std::vector<float> w(std::size_t(c.filters) * in.c * c.kernel_h * c.kernel_w);
    std::size_t at = 0;
    for (int o = 0; o < c.filters; ++o)
      for (int i = 0; i < in.c; ++i)
        for (int y = 0; y < c.kernel_h; ++y)
          for (int x = 0; x < c.kernel_w; ++x)
            w[at++] = kernel[((std::size_t(y) * c.kernel_w + x) * in.c + i) * c.filters + o];
    const std::string weight = add_initializer(name + "/kernel", {c.filters, in.c, c.kernel_h, c.kernel_w}, w.data());
    const std::string bias = add_initializer(name + "/bias", {c.filters}, param_of(conv, block, "bias"));
    add_node("Conv", name + "/Conv", {current_, weight, bias},
             {ints_attribute("kernel_shape", {c.kernel_h, c.kernel_w}),
              ints_attribute("strides", {c.stride_h, c.stride_w}),
              ints_attribute("pads", onnx_pads(in, c.kernel_h, c.kernel_w, c.stride_h, c.stride_w, c.padding)),
              ints_attribute("dilations", {1, 1}), int_attribute("group", 1)});
    if (c.relu) add_node("Relu", name + "/Relu", {current_});
  }

  // A bn left unfolded (not after a linear conv or dense): its inference affine map,
  // y = x * scale + shift per channel, as Mul and Add (and Relu).
  void add_batch_norm(const BatchNorm& bn, const std::string& name, const float* block, const float* state) {
    const int C = bn.input_shape().c;
    std::vector<float> scale(C), shift(C);
    for (int c = 0; c < C; ++c) bn.channel_affine(block, state, c, scale[c], shift[c]);
    const std::vector<int> dims = spatial_ ? std::vector<int>{C, 1, 1} : std::vector<int>{C};  // broadcast over H, W
    const std::string scale_name = add_initializer(name + "/scale", dims, scale.data());
    const std::string shift_name = add_initializer(name + "/shift", dims, shift.data());
    add_node("Mul", name + "/Mul", {current_, scale_name});
    add_node("Add", name + "/Add", {current_, shift_name});
    if (bn.config().relu) add_node("Relu", name + "/Relu", {current_});
  }

  // A residual block with its bn folded: conv1 (ReLU), conv2; the shortcut conv or the
  // input; Add, Relu.
  void add_residual(const ResidualBlock& res, const std::string& name, const float* block) {
    const auto& parts = res.parts();  // conv1, conv2[, shortcut]
    auto conv_of = [&](std::size_t k) -> const Conv2D& { return static_cast<const Conv2D&>(*parts[k].layer); };
    const std::string input = current_;
    add_conv(conv_of(0), name + "/" + parts[0].name, block + parts[0].param_offset);
    add_conv(conv_of(1), name + "/" + parts[1].name, block + parts[1].param_offset);
    const std::string main = current_;
    std::string shortcut = input;
    if (res.has_shortcut_conv()) {
      current_ = input;
      add_conv(conv_of(2), name + "/" + parts[2].name, block + parts[2].param_offset);
      shortcut = current_;
    }
    add_node("Add", name + "/Add", {main, shortcut});
    add_node("Relu", name + "/Relu", {current_});
  }

  void add_dense(const Dense& dense, const std::string& name, const float* block) {
    // A Dense may follow a convolution whose output is 1x1 spatially, without a Flatten.
    if (spatial_) flatten_in_blnk_order(name + "/input");
    const int in = int(dense.input_shape().size());
    const std::string weight = add_initializer(name + "/kernel", {in, dense.units()}, param_of(dense, block, "kernel"));
    const std::string bias = add_initializer(name + "/bias", {dense.units()}, param_of(dense, block, "bias"));
    add_node("MatMul", name + "/MatMul", {current_, weight});
    add_node("Add", name + "/Add", {current_, bias});
    if (dense.relu()) add_node("Relu", name + "/Relu", {current_});
  }

  // (N, C, H, W) -> (N, H*W*C) in blnk's (h, w, c) order. The Transpose is needed only
  // when both the channels and the positions are more than one.
  void flatten_in_blnk_order(const std::string& name) {
    if (!spatial_) return;
    if (shape_.c > 1 && shape_.h * shape_.w > 1)
      add_node("Transpose", name + "/Transpose", {current_}, {ints_attribute("perm", {0, 2, 3, 1})});
    add_node("Flatten", name + "/Flatten", {current_}, {int_attribute("axis", 1)});
    spatial_ = false;
  }

  // Adds a node whose output is named after the node (or `output`), and makes it current.
  void add_node(const std::string& op, const std::string& node_name, const std::vector<std::string>& inputs,
                const std::vector<ProtoWriter>& attributes = {}, const std::string& output = "") {
    ProtoWriter node;
    for (const std::string& in : inputs) node.string_field(node_proto::kInput, in);
    current_ = output.empty() ? node_name : output;
    node.string_field(node_proto::kOutput, current_);
    node.string_field(node_proto::kName, node_name);
    node.string_field(node_proto::kOpType, op);
    for (const ProtoWriter& a : attributes) node.message(node_proto::kAttribute, a);
    graph_.message(graph_proto::kNode, node);
  }

  std::string add_initializer(const std::string& name, const std::vector<int>& dims, const float* data) {
    static_assert(std::endian::native == std::endian::little, "raw_data is little-endian float32");
    std::size_t count = 1;
    std::vector<std::int64_t> dims64;
    for (int d : dims) {
      dims64.push_back(d);
      count *= std::size_t(d);
    }
    ProtoWriter t;
    t.packed_int64s(tensor_proto::kDims, dims64);
    t.varint_field(tensor_proto::kDataType, tensor_proto::kFloat);
    t.string_field(tensor_proto::kName, name);
    t.bytes_field(tensor_proto::kRawData, {reinterpret_cast<const std::uint8_t*>(data), count * sizeof(float)});
    graph_.message(graph_proto::kInitializer, t);
    return name;
  }

  const Network& net_;
  ProtoWriter graph_;
  std::string current_;
  bool spatial_ = true;  // current_ is (N, C, H, W); else (N, features)
  Shape shape_;          // blnk's shape of current_
};

void add_metadata(ProtoWriter& model, const std::string& key, const std::string& value) {
  ProtoWriter entry;
  entry.string_field(string_string_entry_proto::kKey, key);
  entry.string_field(string_string_entry_proto::kValue, value);
  model.message(model_proto::kMetadataProps, entry);
}

}  // namespace

std::vector<std::uint8_t> export_onnx(const ModelFile& file, const std::string& name, const ExportOptions& options) {
  const Network net = network_from(file, name);
  ProtoWriter model;
  model.varint_field(model_proto::kIrVersion, kIrVersion);
  ProtoWriter opset;
  opset.string_field(opset_id_proto::kDomain, "");
  opset.varint_field(opset_id_proto::kVersion, kOpsetVersion);
  model.message(model_proto::kOpsetImport, opset);
  model.string_field(model_proto::kProducerName, "blnk");
  model.string_field(model_proto::kProducerVersion, options.blnk_version);
  model.string_field(model_proto::kDocString,
                     "blnk model " + net.spec() + ": image (N, C, H, W) float32 pixels in [0, 1] (digits: 0 = "
                     "background); probabilities (N, classes)");
  // Every bn that folds is folded into the layer before it, as blnk's inference runs it.
  if (has_foldable_batch_norm(net)) {
    Network folded(folded_spec(net), net.input_shape());
    fold_params(net, folded);
    model.message(model_proto::kGraph, GraphBuilder(folded).build(name));
  } else {
    model.message(model_proto::kGraph, GraphBuilder(net).build(name));
  }
  const std::vector<std::pair<std::string, std::string>> ours = {
      {"blnk.spec", net.spec()}, {"blnk.exported_by", "blnk " + options.blnk_version}};
  for (const auto& [k, v] : ours) add_metadata(model, k, v);
  // The key by init-capture: clang 14 (scripts/sanitize.sh) cannot capture a structured binding.
  for (const auto& [k, v] : file.metadata)
    if (std::none_of(ours.begin(), ours.end(), [&key = k](const auto& o) { return o.first == key; })) add_metadata(model, k, v);
  return model.take();
}

}  // namespace blnk::onnx
