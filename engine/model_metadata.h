// Metadata keys of model files that more than one folder reads or writes. Two
// families with near names and different lives: "train.*" is the state of a run
// in progress (only in checkpoints, train/checkpoint.cpp), "trained.*" is the
// provenance of a finished model.
#pragma once

namespace blnk::metadata {

inline constexpr const char* kBlnkVersion = "blnk.version";
inline constexpr const char* kTestAccuracy = "test.accuracy";  // fraction 0..1 on the test set
inline constexpr const char* kTestImages = "test.images";
inline constexpr const char* kTrainedBy = "trained.by";
inline constexpr const char* kTrainedDate = "trained.date";
inline constexpr const char* kTrainedImages = "trained.images";
inline constexpr const char* kTrainedEpochs = "trained.epochs";
inline constexpr const char* kTrainedSeed = "trained.seed";
inline constexpr const char* kTrainedInit = "trained.init";
inline constexpr const char* kTrainedAugment = "trained.augment";
inline constexpr const char* kTrainedLrSchedule = "trained.lr_schedule";
inline constexpr const char* kTrainedEmaMomentum = "trained.ema_momentum";
inline constexpr const char* kTrainedPrecision = "trained.precision";  // "bf16"; absent: float32
// A quantized model (blnk quantize): the scheme, the float model it came from, its
// calibration images, and the float model's test accuracy beside its own.
inline constexpr const char* kQuantization = "quantized.scheme";
inline constexpr const char* kQuantizedFrom = "quantized.from";
inline constexpr const char* kQuantizedCalibration = "quantized.calibration";
inline constexpr const char* kQuantizedFloatAccuracy = "quantized.float_test_accuracy";
// A class model (trained on a folder of classes, data/class_folder.h): its class
// names, one a line, in output order, and how images are fitted to its input
// ("pad" or "crop", data/image_fit.h). A model without "classes" is not one.
inline constexpr const char* kClasses = "classes";
inline constexpr const char* kInputFit = "input.fit";

}  // namespace blnk::metadata
