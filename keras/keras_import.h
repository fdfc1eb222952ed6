// Importing a Keras model saved as HDF5 (model.save("model.h5"), Keras 2 layout:
// the model_config attribute at the root, weights under /model_weights/<layer>/,
// listed by each layer group's weight_names attribute) into a blnk model file.
// Keras 3 .keras archives (zip) are refused with a message saying how to save
// the model as .h5 instead.
//
// For files the user trusts: an offline command, never reachable from the server.
// Still, a truncated or corrupted file, a missing dataset or a shape that
// disagrees with the config throws Error naming the file and the layer. libhdf5
// itself can crash on a corrupted file, so the file is read in a child process
// (fork) and a crash there is reported as an Error too.
#pragma once

#include <string>

#include "engine/model_file.h"

namespace blnk::keras {

// Metadata keys of an imported model (docs/keras.md).
inline constexpr const char* kImportedFrom = "imported.from";            // the .h5 path as given
inline constexpr const char* kImportedFormat = "imported.format";        // "keras-h5"
inline constexpr const char* kImportedKerasVersion = "imported.keras_version";
inline constexpr const char* kImportedKerasBackend = "imported.keras_backend";
inline constexpr const char* kImportedModelClass = "imported.model_class";  // Sequential or Functional

// Reads `path` and returns the model file it becomes: the spec (keras_layout.h),
// the input shape, every parameter and the provenance metadata above.
ModelFile import_keras_h5(const std::string& path);

}  // namespace blnk::keras
