// Listing a folder of images the way every folder reader of blnk does (the digit
// layouts, data/image_folder.h; the class folders, data/class_folder.h): dot files
// left out, files and folders apart, each sorted by name (directory order is the
// file system's), images told by their extension.
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <vector>

namespace blnk::data {

// png, jpg, jpeg, gif, webp, bmp, pgm, ppm, pnm (any case).
bool is_image_file_name(const std::filesystem::path& p);

struct FolderEntries {
  std::vector<std::filesystem::path> files, folders;
};
// Throws Error naming the folder when it cannot be listed.
FolderEntries list_folder(const std::filesystem::path& dir);

// The order a folder's labelled images are read in: the labels in turn (the first
// image of each label, then the second of each, ...), each label's images in their
// listed order. The first N (`train --limit N`) then hold every label in its share,
// not the first labels' images only. Image: anything with an int `label` (0 or more).
template <typename Image>
std::vector<Image> labels_in_turn(const std::vector<Image>& images) {
  std::vector<int> seen;
  std::vector<std::size_t> rank(images.size()), order(images.size());
  for (std::size_t i = 0; i < images.size(); ++i) {
    const std::size_t label = static_cast<std::size_t>(images[i].label);
    if (label >= seen.size()) seen.resize(label + 1, 0);
    rank[i] = static_cast<std::size_t>(seen[label]++);
    order[i] = i;
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (rank[a] != rank[b]) return rank[a] < rank[b];
    if (images[a].label != images[b].label) return images[a].label < images[b].label;
    return a < b;
  });
  std::vector<Image> out;
  out.reserve(images.size());
  for (const std::size_t i : order) out.push_back(images[i]);
  return out;
}

}  // namespace blnk::data
