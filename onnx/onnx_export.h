// Export of a blnk model to ONNX (a serialized onnx.ModelProto), so that ONNX
// Runtime, OpenCV's dnn module or a browser can run a model blnk trained.
//
// The graph takes `image`, float32 (N, C, H, W) with a dynamic batch N (NCHW, as
// ONNX's Conv wants; C, H, W the model's input, e.g. 3 for colour; pixels in [0, 1],
// for digits 0 = background: what blnk's network sees, and what its Python module
// takes; any scaling the model needs, such as an imported Keras Rescaling, is in it),
// and gives `probabilities`, float32 (N, classes). Each blnk layer becomes standard
// operators of the default domain:
//   Conv2D     Conv (explicit kernel_shape, strides, pads; Keras's `same` puts the odd
//              extra row/column after) [+ Relu]
//   MaxPool2D  MaxPool (explicit pads; padded taps never win, as in blnk)
//   Flatten    Transpose to NHWC + Flatten, so features come in blnk's (h, w, c) order
//              and the Dense kernels stay as stored
//   Dense      MatMul + Add [+ Relu]   (not Gemm: OpenCV prefers MatMul + Add)
//   ReLU       Relu
//   AvgPool2D  AveragePool;  GlobalAvgPool  GlobalAveragePool
//   BatchNorm  folded into the Conv or MatMul + Add before it (engine/fold.h), as blnk's
//              inference runs it; elsewhere Mul + Add of its per-channel scale and shift
//   ResidualBlock  its convolutions with their bn folded in: Conv, Relu, Conv; the shortcut
//              Conv or the input; Add, Relu
//   Dropout    nothing (it is the identity at inference)
// and a final Softmax. The spec, the exporting blnk's version and the model file's
// metadata (training date, epochs, test accuracy, ...) become metadata_props.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/model_file.h"

namespace blnk::onnx {

inline constexpr int kOpsetVersion = 13;
inline constexpr int kIrVersion = 7;  // the IR version released with opset 13
inline constexpr const char* kInputName = "image";
inline constexpr const char* kOutputName = "probabilities";

struct ExportOptions {
  std::string blnk_version;  // of the exporting program: producer_version and a metadata entry
};

// The ONNX model of a model file. `name` (usually the path) starts every error
// message; throws Error when the file does not build a network or a layer has no
// ONNX counterpart.
std::vector<std::uint8_t> export_onnx(const ModelFile& file, const std::string& name,
                                      const ExportOptions& options);

}  // namespace blnk::onnx
