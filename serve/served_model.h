// The model a server answers with, and the slot that lets a reload swap it while
// requests run. A ServedModel never changes once made; a reload makes a new one and
// stores it. Each request takes its own reference (a shared_ptr copy under a mutex:
// no allocation, a few nanoseconds), so a request that began on the old model ends on
// it, and the old model is freed when its last request lets go.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "reader/classifier.h"

namespace blnk::serve {

struct ServedModel {
  std::shared_ptr<const reader::Classifier> classifier;
  std::string name;        // classifier->model_name(), asked once
  double accuracy = 0;     // classifier->model_accuracy(), asked once
  std::vector<std::string> classes;  // classifier->class_names(), asked once; empty: a digit reader
  std::string index_page;  // GET /, rendered for this model
};

// Makes the ServedModel of a classifier (renders its page).
std::shared_ptr<const ServedModel> make_served_model(std::shared_ptr<const reader::Classifier> classifier);

class ModelSlot {
 public:
  explicit ModelSlot(std::shared_ptr<const ServedModel> model) : model_(std::move(model)) {}
  std::shared_ptr<const ServedModel> get() const {
    std::lock_guard lock(mutex_);
    return model_;
  }
  // The previous model is released outside the lock: freeing a network takes time.
  void set(std::shared_ptr<const ServedModel> model) {
    {
      std::lock_guard lock(mutex_);
      model_.swap(model);
    }
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const ServedModel> model_;
};

}  // namespace blnk::serve
