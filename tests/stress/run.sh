#!/usr/bin/env bash
# The stress suite under ctest (docs/predict.md): a small generated suite
# (scripts/make-stress-set.py, --per-cell 40, another seed than the documented
# run) read by blnk with the bundled models, with floors (scripts/stress-eval.py
# --floor): every digit cell at least FLOOR percent, at most 1% of digits called
# not_a_digit, at least 90% of non-digits called so.
# Skips (77) without Debian's python3 with numpy and PIL.
#   tests/stress/run.sh BLNK SHARED_DATA_DIR [FLOOR]
set -uo pipefail
blnk=$1 data=$2 floor=${3:-90}
here=$(cd "$(dirname "$0")/../.." && pwd)
python=/usr/bin/python3
if ! "$python" -c "import numpy, PIL" 2>/dev/null; then
  echo "SKIP: the stress suite needs /usr/bin/python3 with numpy and PIL (scripts/setup.sh --test)"; exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" "$here/scripts/make-stress-set.py" "$work/suite" --per-cell 40 --seed 11 --mnist "$data/mnist" || exit 1
"$python" "$here/scripts/stress-eval.py" "$work/suite" --blnk "$blnk" --floor "$floor" --misses 3
