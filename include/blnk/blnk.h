// blnk: a CNN engine that reads handwritten and photographed digits, as a library.
// The one header to include; docs/library.md documents every function with an example.
//
//   blnk::Model model = blnk::Model::load("mnist.blnk");
//   blnk::Reading r = model.read_file("photo.jpg");   // r.digit, r.probability, r.verdict
#ifndef BLNK_BLNK_H
#define BLNK_BLNK_H

#include "blnk/error.h"
#include "blnk/model.h"
#include "blnk/train.h"
#include "blnk/version.h"

#endif  // BLNK_BLNK_H
