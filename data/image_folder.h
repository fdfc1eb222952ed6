// A folder of labelled digit images as a Dataset (data/idx.h), so that training and
// evaluation take a user's own photos as they take MNIST. Two layouts:
//   DIR/0/ .. DIR/9/        one subfolder per label (any file names inside);
//   DIR/<label>_<any>.<ext> flat, the label before the first '_' (the seed's crops: 9_99.png).
// A folder with at least one subfolder named 0 to 9 is read the first way.
// Extensions: png, jpg, jpeg, gif, webp, bmp, pgm, ppm, pnm (any case); other files are not images
// and are passed over (and listed, as are folders the layout does not read); dot
// files are left out.
//
// Each image goes through exactly what `blnk predict` and the server do
// (reader/model_classifier.cpp): read_image_gray, then preprocess_digit; the 28x28
// result is stored as 8-bit pixels, as MNIST's are. An image that cannot be read, or
// where preprocessing finds no digit, is skipped and listed with the reason (or, with
// stop_on_unreadable, throws); a folder left with no image is an error. Files are
// read in name order, so the dataset (and a seeded training run) is reproducible.
// The library never prints: the caller reports `skipped`.
#pragma once

#include <string>
#include <vector>

#include "data/idx.h"
#include "data/image.h"

namespace blnk::data {

inline constexpr int kMaxFolderImages = 1 << 20;  // 784 MiB of 28x28 pixels

struct ImageFolderOptions {
  bool stop_on_unreadable = false;
  ImageLimits limits;
};

struct SkippedImage {
  std::string path;
  std::string reason;
};

struct ImageFolder {
  Dataset dataset;                    // (count, 28, 28) pixels, labels 0..9
  bool subfolders = false;            // the layout found
  std::vector<SkippedImage> skipped;  // unreadable, or no digit found
  // Passed over, in the order found: files that are not images (by their extension),
  // and folders the layout does not read ("x/": not a label folder, or inside one).
  std::vector<std::string> passed_over;
};

// Throws Error naming the folder when it is missing, holds no usable image or
// more than kMaxFolderImages, and (stop_on_unreadable) naming the first bad file.
ImageFolder load_image_folder(const std::string& dir, const ImageFolderOptions& options = {});

// Training needs images of two labels at least: a folder whose images all carry one
// (only DIR/3/) would train a model that answers 3 to everything. Throws Error naming
// the folder and the label. (Evaluation takes such a folder: a folder of 3s is a test.)
// passed_over: the folder's entries the digit layout did not read; a subfolder among
// them ("cat/" beside "3/") is named with the option that reads the folder as classes.
void check_trainable_labels(const Dataset& set, const std::string& dir,
                            const std::vector<std::string>& passed_over = {});

}  // namespace blnk::data
