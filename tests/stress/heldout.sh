#!/usr/bin/env bash
# The held-out families' tools under ctest (docs/predict.md): scripts/make-heldout-set.py
# makes a few images of each family but the 12-megapixel desk photos (slow to make),
# and scripts/stress-eval.py reads them: every family in the table, marked held out,
# numbers scored as numbers. No accuracy floor: the figures are in docs/predict.md.
# Skips (77) without Debian's python3 with numpy and PIL, or without MNIST.
#   tests/stress/heldout.sh BLNK SHARED_DATA_DIR
set -uo pipefail
blnk=$1 data=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
python=/usr/bin/python3
if ! "$python" -c "import numpy, PIL" 2>/dev/null; then
  echo "SKIP: needs /usr/bin/python3 with numpy and PIL (scripts/setup.sh --test)"; exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
families=plaque,soft-scan,ruled-paper,numbers,shapes
"$python" "$here/scripts/make-heldout-set.py" "$work/set" --per-family 3 --seed 5 --mnist "$data/mnist" \
  --families "$families"
status=$?
[[ $status == 77 ]] && exit 77
[[ $status == 0 ]] || { echo "FAIL: make-heldout-set.py exited $status"; exit 1; }
"$python" "$here/scripts/stress-eval.py" "$work/set" --blnk "$blnk" --misses 3 >"$work/table.txt"
status=$?
cat "$work/table.txt"
[[ $status == 0 ]] || { echo "FAIL: stress-eval.py exited $status"; exit 1; }
for family in ${families//,/ }; do
  grep -Eq "^$family +all +3 .*held out$" "$work/table.txt" || { echo "FAIL: no held-out row of 3 images for $family"; exit 1; }
done
# A number is right only when read whole: the misses name the number's file.
ls "$work/set/numbers/all" | grep -Eq '^n[0-9]{2,5}_num' || { echo "FAIL: numbers not labelled n<number>_"; exit 1; }
echo "ok"
