// BLNK_API marks what the blnk library exports. The shared library is built with
// hidden visibility, so only what carries this mark is seen by programs that link it.
#ifndef BLNK_EXPORT_H
#define BLNK_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define BLNK_API __attribute__((visibility("default")))
#else
#define BLNK_API
#endif

#endif  // BLNK_EXPORT_H
