#!/bin/sh
# Every public header (include/blnk/*.h, and the generated version.h) compiles alone
# as C++17 and C++20 with -Wall -Wextra -Werror -pedantic, and includes only the
# standard library and other blnk/ headers: no Eigen, nothing of the inside.
#   check_headers.sh CXX SOURCE_INCLUDE_DIR BUILD_INCLUDE_DIR
set -u
cxx=$1 src=$2 gen=$3
failed=0 checked=0
for header in "$src"/blnk/*.h "$gen"/blnk/version.h; do
  name=blnk/$(basename "$header")
  for std in c++17 c++20; do
    if ! printf '#include <%s>\n' "$name" | "$cxx" -std=$std -Wall -Wextra -Werror -pedantic -fsyntax-only \
        -I"$src" -I"$gen" -x c++ -; then
      echo "FAIL: $name does not compile alone as $std" >&2
      failed=1
    fi
  done
  others=$(grep -E '^[[:space:]]*#[[:space:]]*include' "$header" | grep -vE '<[a-z_]+>|"blnk/[a-z_]+\.h"')
  if [ -n "$others" ]; then
    echo "FAIL: $name includes more than the standard library and blnk/: $others" >&2
    failed=1
  fi
  checked=$((checked + 1))
done
[ "$checked" -ge 5 ] || { echo "FAIL: only $checked headers found under $src/blnk" >&2; exit 1; }
[ $failed = 0 ] && echo "$checked public headers compile alone and include nothing of the inside"
exit $failed
