// A folder of image classes as a Dataset (data/idx.h), as torchvision's ImageFolder
// and Keras's image_dataset_from_directory read one: DIR/<class>/<any image>, one
// subfolder per class, named as the class (any names; 2 to kMaxClasses classes,
// sorted by name: the label of a class is its place in that order). Every image is
// fitted into the input the options say (data/image_fit.h) and stored as 8-bit
// (count, height, width, channels) pixels, planned once from the number of files.
//
// Which images are read, and what is passed over, follow data/image_folder.h (the
// digit layouts): dot files are left out, files that are not images by their
// extension and folders inside a class are passed over and listed, files beside
// the class folders too. An unreadable image is skipped and listed (or, with
// stop_on_unreadable, throws). Files are read in name order, so the dataset (and
// a seeded run) is reproducible. The library never prints: the caller reports.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data/idx.h"
#include "data/image_fit.h"
#include "data/image_folder.h"

namespace blnk::data {

inline constexpr int kMinClasses = 2;
inline constexpr int kMaxClasses = 1000;  // labels are 16 bits (data/idx.h); the loss takes up to 1024
inline constexpr int kMaxClassNameBytes = 64;        // so that kMaxClasses names fit one metadata value
inline constexpr std::uint64_t kMaxClassFolderBytes = 1ull << 30;  // pixels planned for a folder

struct ClassFolderOptions {
  int height = 0, width = 0;  // required: the input's size
  int channels = 0;           // 1 grey, 3 RGB; 0: the images' own (all grey: 1, any colour: 3 unless mixed)
  ImageFit fit = ImageFit::pad;
  // The classes of a trained model (a test set): every subfolder must be one of them,
  // and keeps that class's label; not every class needs a folder. Empty: the folder's own.
  std::vector<std::string> classes;
  bool stop_on_unreadable = false;
  ImageLimits limits;
};

struct ClassFolder {
  Dataset dataset;                   // (count, height, width, channels) pixels; labels index `classes`
  std::vector<std::string> classes;  // the names, in label order
  std::vector<SkippedImage> skipped;
  std::vector<std::string> passed_over;  // files and folders the layout does not read ("x/" for folders)
};

// True when `dir` is one of the digit layouts of data/image_folder.h (a subfolder
// named 0 to 9, or no subfolder at all): without options that ask for another
// input, such a folder is read as digits.
bool is_digit_folder(const std::string& dir);

// The classes of IDX images that are no digits (another shape than 28x28x1: colour,
// another size), named by their labels: "0", "1", ... up to the largest label, at
// least two.
std::vector<std::string> label_class_names(const Dataset& set);

// Throws Error naming the folder (fewer than 2 or more than kMaxClasses classes, a
// class name that cannot be stored, a class with no usable image, a class the model
// does not know, images of mixed channels when options.channels is 0, too many
// pixels) or, with stop_on_unreadable, the first bad file.
ClassFolder load_class_folder(const std::string& dir, const ClassFolderOptions& options);

// Any labelled folder, as `blnk train --images`, `blnk eval --images` and blnk.train
// read one: a digit layout (data/image_folder.h: preprocessed as digits, 28x28 grey,
// no class names) unless the folder is not one or the options ask for a class input
// (a size, channels, a fit, or a model's classes); else a folder of classes.
struct LabelledFolderOptions {
  int height = 0, width = 0;  // 0: not given (a folder of classes then needs them)
  int channels = 0;           // 0: not given
  std::optional<ImageFit> fit;
  std::vector<std::string> classes;  // a trained model's
  bool stop_on_unreadable = false;
  bool class_input_asked() const { return height || width || channels || fit || !classes.empty(); }
};
struct LabelledFolder {
  Dataset dataset;
  std::vector<std::string> classes;  // empty: a digit layout
  ImageFit fit = ImageFit::pad;
  std::string layout;  // for people: "subfolders 0-9", "files <label>_*", "N class folders"
  std::vector<SkippedImage> skipped;
  std::vector<std::string> passed_over;
};
// Throws Error as the two loaders do, and naming the missing image size of a folder of classes.
LabelledFolder load_labelled_folder(const std::string& dir, const LabelledFolderOptions& options);

// Class names to and from one metadata value: the names, one a line.
std::string join_class_names(const std::vector<std::string>& names);
std::vector<std::string> split_class_names(const std::string& value);
// Throws Error naming `what` when the names are not 2 to kMaxClasses storable,
// distinct names (no line breaks or control characters, 1 to kMaxClassNameBytes bytes).
void check_class_names(const std::vector<std::string>& names, const std::string& what);

}  // namespace blnk::data
