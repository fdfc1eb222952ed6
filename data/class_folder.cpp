// A folder of image classes as a Dataset (class_folder.h).
#include "data/class_folder.h"

#include <algorithm>
#include <filesystem>

#include "base/error.h"
#include "data/folder_listing.h"

namespace blnk::data {
namespace {

namespace fs = std::filesystem;

struct ClassImage {
  fs::path path;
  int label = 0;
};

const char* channels_word(int channels) { return channels == 1 ? "grey" : "colour"; }

// The class subfolders (as the model's labels say, or the folder's own sorted names),
// and every image in them; fills what was passed over.
std::vector<ClassImage> find_class_images(const fs::path& dir, const ClassFolderOptions& options, ClassFolder& folder) {
  const FolderEntries top = list_folder(dir);
  for (const fs::path& file : top.files) folder.passed_over.push_back(file.string());  // beside the class folders
  const bool model_classes = !options.classes.empty();
  if (!model_classes) {
    for (const fs::path& sub : top.folders) folder.classes.push_back(sub.filename().string());
    if (int(folder.classes.size()) < kMinClasses)
      throw Error(dir.string() + ": " + std::to_string(folder.classes.size()) + " class folder" +
                  (folder.classes.size() == 1 ? " (" + folder.classes[0] + "/)" : "") + "; a folder of classes needs " +
                  std::to_string(kMinClasses) + " to " + std::to_string(kMaxClasses) +
                  " subfolders, one per class, each holding that class's images");
    check_class_names(folder.classes, dir.string());
  } else {
    folder.classes = options.classes;
  }
  std::vector<ClassImage> found;
  for (const fs::path& sub : top.folders) {
    const std::string name = sub.filename().string();
    const auto known = std::find(folder.classes.begin(), folder.classes.end(), name);
    if (known == folder.classes.end()) {
      std::string listed;
      for (std::size_t i = 0; i < folder.classes.size() && i < 10; ++i) listed += (i ? ", " : "") + folder.classes[i];
      throw Error(sub.string() + ": the model has no class '" + name + "' (its classes: " + listed +
                  (folder.classes.size() > 10 ? ", ..." : "") + ")");
    }
    const int label = int(known - folder.classes.begin());
    const FolderEntries inside = list_folder(sub);
    std::size_t images = 0;
    for (const fs::path& file : inside.files) {
      if (!is_image_file_name(file)) {
        folder.passed_over.push_back(file.string());
        continue;
      }
      found.push_back({file, label});
      ++images;
    }
    for (const fs::path& nested : inside.folders) folder.passed_over.push_back(nested.string() + "/");
    if (images == 0 && !model_classes)
      throw Error(sub.string() + ": class '" + name + "' holds no image (PNG, JPEG, GIF, WebP, BMP, PGM/PPM)");
  }
  return found;
}

}  // namespace

std::vector<std::string> label_class_names(const Dataset& set) {
  int top = 1;
  for (const Label label : set.labels.labels) top = std::max(top, int(label));
  std::vector<std::string> names;
  for (int k = 0; k <= top; ++k) names.push_back(std::to_string(k));
  return names;
}

bool is_digit_folder(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return true;  // the digit reader names what is wrong
  const FolderEntries top = list_folder(dir);
  if (top.folders.empty()) return true;  // flat: <label>_<any>.png
  for (const fs::path& sub : top.folders) {
    const std::string name = sub.filename().string();
    if (name.size() == 1 && name[0] >= '0' && name[0] <= '9') return true;
  }
  return false;
}

std::string join_class_names(const std::vector<std::string>& names) {
  std::string value;
  for (std::size_t i = 0; i < names.size(); ++i) value += (i ? "\n" : "") + names[i];
  return value;
}

std::vector<std::string> split_class_names(const std::string& value) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t end = std::min(value.find('\n', start), value.size());
    names.push_back(value.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

void check_class_names(const std::vector<std::string>& names, const std::string& what) {
  if (int(names.size()) < kMinClasses || int(names.size()) > kMaxClasses)
    throw Error(what + ": " + std::to_string(names.size()) + " classes; blnk trains " + std::to_string(kMinClasses) +
                " to " + std::to_string(kMaxClasses));
  for (const std::string& name : names) {
    if (name.empty() || name.size() > std::size_t(kMaxClassNameBytes))
      throw Error(what + ": class name '" + name.substr(0, kMaxClassNameBytes) + (name.size() > std::size_t(kMaxClassNameBytes) ? "...'" : "'") +
                  " is " + std::to_string(name.size()) + " bytes long; a class name has 1 to " +
                  std::to_string(kMaxClassNameBytes));
    for (const char c : name)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        throw Error(what + ": class name '" + name + "' holds a control character (a line break, a tab, ...)");
  }
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  if (const auto twice = std::adjacent_find(sorted.begin(), sorted.end()); twice != sorted.end())
    throw Error(what + ": class '" + *twice + "' is named twice");
}

ClassFolder load_class_folder(const std::string& dir, const ClassFolderOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": not a folder (looking for one subfolder per class)");
  if (options.height < 1 || options.width < 1 || options.height > kMaxClassImageSide ||
      options.width > kMaxClassImageSide)
    throw Error(dir + ": image size " + std::to_string(options.height) + "x" + std::to_string(options.width) +
                " is out of range (each side 1 to " + std::to_string(kMaxClassImageSide) + ")");
  if (options.channels != 0 && options.channels != 1 && options.channels != 3)
    throw Error(dir + ": " + std::to_string(options.channels) + " channels; 1 (grey) or 3 (RGB)");
  ClassFolder folder;
  const std::vector<ClassImage> images = labels_in_turn(find_class_images(dir, options, folder));
  if (images.empty()) throw Error(dir + ": no image in any class folder");
  if (images.size() > std::size_t(kMaxFolderImages))
    throw Error(dir + ": " + std::to_string(images.size()) + " images, more than the " +
                std::to_string(kMaxFolderImages) + " blnk reads from a folder");

  // The pixels are planned once for every image found, at the most channels they can take.
  ClassInput input{options.height, options.width, options.channels == 0 ? 3 : options.channels, options.fit};
  const std::uint64_t planned = std::uint64_t(images.size()) * input.size();
  if (planned > kMaxClassFolderBytes)
    throw Error(dir + ": " + std::to_string(images.size()) + " images of " + std::to_string(input.height) + "x" +
                std::to_string(input.width) + "x" + std::to_string(input.channels) + " take " +
                std::to_string(planned >> 20) + " MiB, more than the " + std::to_string(kMaxClassFolderBytes >> 20) +
                " MiB blnk plans for a folder: give a smaller --image-size or fewer images");
  Dataset& d = folder.dataset;
  d.images.path = d.labels.path = dir;
  d.images.rows = options.height;
  d.images.cols = options.width;
  d.images.pixels.resize(planned);
  d.labels.labels.reserve(images.size());
  d.labels.num_classes = int(folder.classes.size());

  std::string first_path;  // the image whose channels decided, when the images' own are kept
  int count = 0;
  for (const ClassImage& image : images) {
    const std::string path = image.path.string();
    std::string reason;
    try {
      const ColorImage decoded = read_image_color(path, options.limits, ExifOrientation::as_shown);
      if (options.channels == 0) {
        const int own = decoded.channels >= 3 ? 3 : 1;
        if (first_path.empty()) {
          input.channels = own, first_path = path;
        } else if (own != input.channels) {
          throw Error(dir + ": images of mixed channels: " + first_path + " is " + channels_word(input.channels) +
                      ", " + path + " is " + channels_word(own) + "; give --channels 1 (all grey) or 3 (all colour)");
        }
      }
      fit_image(decoded, input, d.images.pixels.data() + std::size_t(count) * input.size());
      d.labels.labels.push_back(Label(image.label));
      ++count;
      continue;
    } catch (const ImageError& e) {
      // Its message starts with the path already.
      reason = e.what();
      if (reason.rfind(path + ": ", 0) == 0) reason.erase(0, path.size() + 2);
    }
    if (options.stop_on_unreadable) throw Error(path + ": " + reason);
    folder.skipped.push_back({path, reason});
  }
  if (count == 0)
    throw Error(dir + ": no usable image (" + std::to_string(images.size()) + " image files, all skipped)");
  d.images.channels = input.channels;
  d.images.pixels.resize(std::size_t(count) * input.size());  // shrinks in place: no copy, no new allocation
  d.images.count = d.labels.count = count;
  return folder;
}

LabelledFolder load_labelled_folder(const std::string& dir, const LabelledFolderOptions& options) {
  LabelledFolder out;
  if (!options.class_input_asked() && is_digit_folder(dir)) {
    ImageFolderOptions digit_options;
    digit_options.stop_on_unreadable = options.stop_on_unreadable;
    ImageFolder digits = load_image_folder(dir, digit_options);
    out.dataset = std::move(digits.dataset);
    out.layout = digits.subfolders ? "subfolders 0-9" : "files <label>_*";
    out.skipped = std::move(digits.skipped);
    out.passed_over = std::move(digits.passed_over);
    return out;
  }
  if (!options.height || !options.width)
    throw Error(dir + ": a folder of classes (not the digit layout of subfolders 0 to 9) needs the size its images "
                      "are fitted to: give --image-size HxW (image_size=(H, W) in Python), e.g. 32x32");
  ClassFolderOptions class_options;
  class_options.height = options.height;
  class_options.width = options.width;
  class_options.channels = options.channels;
  class_options.fit = out.fit = options.fit.value_or(ImageFit::pad);
  class_options.classes = options.classes;
  class_options.stop_on_unreadable = options.stop_on_unreadable;
  ClassFolder classes = load_class_folder(dir, class_options);
  out.dataset = std::move(classes.dataset);
  out.classes = std::move(classes.classes);
  out.layout = std::to_string(out.classes.size()) + " classes, " + std::to_string(options.height) + "x" +
               std::to_string(options.width) + "x" + std::to_string(out.dataset.images.channels) + ", fit " +
               fit_name(out.fit);
  out.skipped = std::move(classes.skipped);
  out.passed_over = std::move(classes.passed_over);
  return out;
}

}  // namespace blnk::data
