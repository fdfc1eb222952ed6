// Read-only HDF5 access with every result checked (hdf5_file.h).
#include "keras/hdf5_file.h"

#include <hdf5.h>

#include <cstdint>
#include <cstring>
#include <fstream>

#include "base/error.h"
#include "base/file_io.h"

namespace blnk::keras {
namespace {

static_assert(sizeof(hid_t) == sizeof(std::int64_t), "hid_t is stored as int64_t in hdf5_file.h");

constexpr char kHdf5Signature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
constexpr char kZipSignature[4] = {'P', 'K', '\x03', '\x04'};

// Closes an HDF5 identifier when it goes out of scope.
class Handle {
 public:
  using Close = herr_t (*)(hid_t);
  Handle(hid_t id, Close close) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  Close close_;
};

// The innermost description on HDF5's error stack (the most specific reason), if any.
std::string hdf5_reason() {
  std::string reason;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* e, void* out) -> herr_t {
        if (n == 0 && e && e->desc) *static_cast<std::string*>(out) = e->desc;
        return 0;
      },
      &reason);
  H5Eclear2(H5E_DEFAULT);
  return reason.empty() ? "" : " (HDF5: " + reason + ")";
}

}  // namespace

Hdf5File::Hdf5File(const std::string& path) : path_(path) {
  // Our own checks first, so the common mistakes get plain messages.
  const std::uint64_t size = file_size(path);  // throws: missing, unreadable, not a regular file
  if (size == 0) throw Error(path + ": empty file (0 bytes)");
  char head[8] = {};
  std::ifstream in(path, std::ios::binary);
  in.read(head, sizeof head);
  if (std::size_t(in.gcount()) >= sizeof kZipSignature && !std::memcmp(head, kZipSignature, sizeof kZipSignature))
    throw Error(path + ": a zip archive (a Keras 3 .keras file?): not supported; save the model as HDF5 "
                       "(model.save(\"model.h5\")) and import that");
  if (size < sizeof kHdf5Signature || std::memcmp(head, kHdf5Signature, sizeof kHdf5Signature) != 0)
    throw Error(path + ": not an HDF5 file (no HDF5 signature at its start)");

  H5E_auto2_t handler = nullptr;
  H5Eget_auto2(H5E_DEFAULT, &handler, &saved_error_data_);
  saved_error_handler_ = reinterpret_cast<void*>(handler);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become our messages, never printed
  file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file_ < 0) {
    const std::string reason = hdf5_reason();
    H5Eset_auto2(H5E_DEFAULT, handler, saved_error_data_);
    throw Error(path + ": cannot open the HDF5 file: it is truncated or corrupted" + reason);
  }
}

Hdf5File::~Hdf5File() {
  if (file_ >= 0) H5Fclose(file_);
  H5Eset_auto2(H5E_DEFAULT, reinterpret_cast<H5E_auto2_t>(saved_error_handler_), saved_error_data_);
}

bool Hdf5File::exists(const std::string& object) const {
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = object.find('/', pos + 1);
    const std::string prefix = object.substr(0, pos);
    if (prefix.empty() || prefix == "/") continue;
    if (H5Lexists(file_, prefix.c_str(), H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
    H5L_info_t info;
    if (H5Lget_info(file_, prefix.c_str(), &info, H5P_DEFAULT) < 0 || info.type != H5L_TYPE_HARD) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
  }
  return true;
}

namespace {

// Reads every string of a string attribute (fixed or variable length).
std::vector<std::string> read_strings(const std::string& where, hid_t attr, hid_t type, hid_t space) {
  const hssize_t count = H5Sget_simple_extent_npoints(space);
  if (count < 0) throw Error(where + ": unreadable attribute" + hdf5_reason());
  std::vector<std::string> out;
  if (H5Tis_variable_str(type) > 0) {
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    // The file's character set (h5py writes str as UTF-8): HDF5 converts none to another.
    if (!mem.ok() || H5Tset_size(mem.get(), H5T_VARIABLE) < 0 || H5Tset_cset(mem.get(), H5Tget_cset(type)) < 0)
      throw Error(where + ": cannot read the attribute" + hdf5_reason());
    std::vector<char*> strings(std::size_t(count), nullptr);
    if (H5Aread(attr, mem.get(), strings.data()) < 0)
      throw Error(where + ": cannot read the attribute" + hdf5_reason());
    std::size_t total = 0;
    for (char* s : strings) {
      const std::size_t n = s ? std::strlen(s) : 0;
      total += n;
      out.emplace_back(s ? s : "", n);
    }
    H5Dvlen_reclaim(mem.get(), space, H5P_DEFAULT, strings.data());
    if (total > kMaxAttributeBytes) throw Error(where + ": the attribute is larger than " + std::to_string(kMaxAttributeBytes) + " bytes");
    return out;
  }
  const std::size_t size = H5Tget_size(type);
  if (size == 0 || size * std::size_t(count) > kMaxAttributeBytes)
    throw Error(where + ": the attribute is empty or larger than " + std::to_string(kMaxAttributeBytes) + " bytes");
  Handle mem(H5Tcopy(type), H5Tclose);
  std::vector<char> bytes(size * std::size_t(count));
  if (!mem.ok() || H5Aread(attr, mem.get(), bytes.data()) < 0)
    throw Error(where + ": cannot read the attribute" + hdf5_reason());
  for (hssize_t i = 0; i < count; ++i) {
    const char* s = bytes.data() + std::size_t(i) * size;
    out.emplace_back(s, strnlen(s, size));
  }
  return out;
}

}  // namespace

std::optional<std::vector<std::string>> Hdf5File::string_list_attribute(const std::string& object,
                                                                        const std::string& name) const {
  const std::string where = path_ + ": attribute '" + name + "' of " + object;
  if (!exists(object)) throw Error(path_ + ": " + object + " is missing");
  const htri_t has = H5Aexists_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT);
  if (has < 0) throw Error(where + ": unreadable" + hdf5_reason());
  if (has == 0) return std::nullopt;
  Handle attr(H5Aopen_by_name(file_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!attr.ok()) throw Error(where + ": cannot open it" + hdf5_reason());
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  if (!type.ok() || !space.ok()) throw Error(where + ": unreadable" + hdf5_reason());
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > 1) throw Error(where + ": expected a list of strings, found rank " + std::to_string(rank));
  if (H5Sget_simple_extent_npoints(space.get()) == 0) return std::vector<std::string>{};
  if (H5Tget_class(type.get()) != H5T_STRING) throw Error(where + ": expected strings");
  return read_strings(where, attr.get(), type.get(), space.get());
}

std::optional<std::string> Hdf5File::string_attribute(const std::string& object, const std::string& name) const {
  const auto list = string_list_attribute(object, name);
  if (!list) return std::nullopt;
  if (list->size() != 1)
    throw Error(path_ + ": attribute '" + name + "' of " + object + ": expected one string, found " +
                std::to_string(list->size()));
  return (*list)[0];
}

std::vector<std::uint64_t> Hdf5File::float_dataset_dims(const std::string& dataset) const {
  if (!exists(dataset)) throw Error(path_ + ": dataset " + dataset + " is missing");
  Handle ds(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
  if (!ds.ok()) throw Error(path_ + ": " + dataset + " is not a readable dataset" + hdf5_reason());
  Handle type(H5Dget_type(ds.get()), H5Tclose);
  Handle space(H5Dget_space(ds.get()), H5Sclose);
  if (!type.ok() || !space.ok()) throw Error(path_ + ": dataset " + dataset + " is unreadable" + hdf5_reason());
  if (H5Tget_class(type.get()) != H5T_FLOAT)
    throw Error(path_ + ": dataset " + dataset + " does not hold floating-point numbers");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > kMaxDatasetRank)
    throw Error(path_ + ": dataset " + dataset + " has an unreadable or too large rank");
  std::vector<hsize_t> dims(std::size_t(rank) + 1);
  if (H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
    throw Error(path_ + ": dataset " + dataset + " has unreadable dimensions" + hdf5_reason());
  return std::vector<std::uint64_t>(dims.begin(), dims.begin() + rank);
}

std::vector<float> Hdf5File::read_floats(const std::string& dataset, std::size_t count) const {
  std::size_t held = 1;
  bool overflow = false;
  for (std::uint64_t d : float_dataset_dims(dataset)) {
    overflow = overflow || (d != 0 && held > SIZE_MAX / d);
    held *= d;
  }
  if (overflow || held != count)
    throw Error(path_ + ": dataset " + dataset + " holds " + std::to_string(held) + " values, expected " +
                std::to_string(count));
  Handle ds(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
  std::vector<float> values(count);
  // HDF5 converts float64 (or any float type) to float32 as it reads.
  if (!ds.ok() || H5Dread(ds.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    throw Error(path_ + ": cannot read dataset " + dataset + ": the file is truncated or corrupted" + hdf5_reason());
  return values;
}

}  // namespace blnk::keras
