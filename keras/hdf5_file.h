// A small read-only view of an HDF5 file over libhdf5's C API: string
// attributes, dataset shapes and float data. HDF5's own error printing is
// silenced while a file is open, every return value is checked, and each failure
// throws blnk::Error naming the file, the object and (when HDF5 gave one) the
// library's innermost reason. Only hard links are followed, so a file cannot
// make us open another one through an external link.
//
// Not thread-safe (libhdf5's serial build is not); used by the offline import only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blnk::keras {

inline constexpr int kMaxDatasetRank = 8;
inline constexpr std::size_t kMaxAttributeBytes = std::size_t(1) << 20;  // a model_config is ~5 KB

class Hdf5File {
 public:
  explicit Hdf5File(const std::string& path);
  ~Hdf5File();
  Hdf5File(const Hdf5File&) = delete;
  Hdf5File& operator=(const Hdf5File&) = delete;

  const std::string& path() const { return path_; }
  // True when every component of `object` ("/model_weights/conv2d") is a hard link that exists.
  bool exists(const std::string& object) const;
  // A scalar string attribute; nullopt when the object has no such attribute.
  std::optional<std::string> string_attribute(const std::string& object, const std::string& name) const;
  // A one-dimensional list of strings; nullopt when absent. An empty list of any
  // type (h5py writes [] as a float array) is an empty vector.
  std::optional<std::vector<std::string>> string_list_attribute(const std::string& object,
                                                                const std::string& name) const;
  // The dimensions of a floating-point dataset (throws if missing or not floats).
  std::vector<std::uint64_t> float_dataset_dims(const std::string& dataset) const;
  // Its values as float32, exactly `count` of them (the product of its dimensions).
  std::vector<float> read_floats(const std::string& dataset, std::size_t count) const;

 private:
  std::string path_;
  std::int64_t file_ = -1;  // hid_t
  void* saved_error_handler_ = nullptr;
  void* saved_error_data_ = nullptr;
};

}  // namespace blnk::keras
