// A folder of labelled images as a Dataset (image_folder.h).
#include "data/image_folder.h"

#include <algorithm>
#include <filesystem>

#include "data/folder_listing.h"
#include "data/preprocess.h"
#include "base/error.h"

namespace blnk::data {
namespace {

namespace fs = std::filesystem;

struct LabelledPath {
  std::string path;
  int label = 0;
};

// "7" -> 7; anything else (more characters, not a digit) -> -1.
int label_of(const std::string& text) {
  return text.size() == 1 && text[0] >= '0' && text[0] < '0' + kMnistClasses ? text[0] - '0' : -1;
}

// Every image file with its label, in either layout; fills the folder's layout,
// what was passed over (files that are not images, folders the layout does not
// read, as "name/") and the skipped files whose names carry no label.
std::vector<LabelledPath> find_images(const fs::path& dir, ImageFolder& folder) {
  std::error_code ec;
  for (int label = 0; label < kMnistClasses; ++label)
    folder.subfolders = folder.subfolders || fs::is_directory(dir / std::to_string(label), ec);
  std::vector<LabelledPath> found;
  auto pass_over_folder = [&](const fs::path& sub) { folder.passed_over.push_back(sub.string() + "/"); };
  auto take = [&](const fs::path& file, int label) {
    if (!is_image_file_name(file)) {
      folder.passed_over.push_back(file.string());
    } else if (label < 0) {
      folder.skipped.push_back({file.string(), "no label in its name (expected <label>_<anything>." +
                                                   file.extension().string().substr(1) + ", label 0 to 9)"});
    } else {
      found.push_back({file.string(), label});
    }
  };
  const FolderEntries top = list_folder(dir);
  if (folder.subfolders) {
    for (const fs::path& file : top.files) folder.passed_over.push_back(file.string());  // beside the label folders
    for (const fs::path& sub : top.folders) {
      const int label = label_of(sub.filename().string());
      if (label < 0) {
        pass_over_folder(sub);
        continue;
      }
      const FolderEntries inside = list_folder(sub);
      for (const fs::path& file : inside.files) take(file, label);
      for (const fs::path& nested : inside.folders) pass_over_folder(nested);
    }
  } else {
    for (const fs::path& file : top.files) {
      const std::string name = file.filename().string();
      const std::size_t underscore = name.find('_');
      take(file, underscore == std::string::npos ? -1 : label_of(name.substr(0, underscore)));
    }
    for (const fs::path& sub : top.folders) pass_over_folder(sub);
  }
  return found;
}

}  // namespace

ImageFolder load_image_folder(const std::string& dir, const ImageFolderOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": not a folder (looking for labelled images)");
  ImageFolder folder;
  const std::vector<LabelledPath> images = labels_in_turn(find_images(dir, folder));
  if (images.size() > std::size_t(kMaxFolderImages))
    throw Error(dir + ": " + std::to_string(images.size()) + " images, more than the " +
                std::to_string(kMaxFolderImages) + " blnk reads from a folder");
  if (options.stop_on_unreadable && !folder.skipped.empty())
    throw Error(folder.skipped[0].path + ": " + folder.skipped[0].reason);

  Dataset& d = folder.dataset;
  d.images.path = d.labels.path = dir;
  d.images.rows = d.images.cols = kDigitSide;
  d.images.pixels.reserve(images.size() * kDigitPixels);
  d.labels.labels.reserve(images.size());
  PreprocessWorkspace ws;
  for (const LabelledPath& image : images) {
    std::string reason;
    try {
      const Preprocessed digit = preprocess_digit(read_image_gray(image.path, options.limits), ws);
      if (digit.found) {
        const auto pixels = digit.to_u8();
        d.images.pixels.insert(d.images.pixels.end(), pixels.begin(), pixels.end());
        d.labels.labels.push_back(Label(image.label));
        continue;
      }
      reason = "no digit found: " + digit.reason;
    } catch (const Error& e) {
      // ImageError messages start with the path already; preprocessing's do not.
      reason = e.what();
      if (reason.rfind(image.path + ": ", 0) == 0) reason.erase(0, image.path.size() + 2);
    }
    if (options.stop_on_unreadable) throw Error(image.path + ": " + reason);
    folder.skipped.push_back({image.path, reason});
  }
  d.images.count = d.labels.count = int(d.labels.labels.size());
  if (d.images.count == 0)
    throw Error(dir + ": no usable image (" + std::to_string(images.size()) + " image files, " +
                std::to_string(folder.skipped.size()) + " skipped; expected subfolders 0 to 9, or files named "
                "<label>_<anything>.png/.jpg/.gif/.webp/.bmp/.pgm/.ppm)");
  return folder;
}

void check_trainable_labels(const Dataset& set, const std::string& dir, const std::vector<std::string>& passed_over) {
  const std::vector<Label>& labels = set.labels.labels;
  if (labels.empty() || std::any_of(labels.begin(), labels.end(), [&](Label l) { return l != labels[0]; })) return;
  std::string subfolder;
  for (const std::string& p : passed_over)
    if (!p.empty() && p.back() == '/' && subfolder.empty()) subfolder = fs::path(p.substr(0, p.size() - 1)).filename().string();
  throw Error(dir + ": every image is labelled " + std::to_string(int(labels[0])) +
              "; training needs images of two digits at least (subfolders 0 to 9, or files named <label>_*)" +
              (subfolder.empty() ? std::string()
                                 : "; its subfolder " + subfolder + "/ was passed over: to read every subfolder as a "
                                   "class, give --image-size HxW (image_size= in Python)"));
}

}  // namespace blnk::data
