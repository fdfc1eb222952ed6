#!/usr/bin/env bash
# The ctest fixture of the ONNX tests: the models they export and what blnk answers.
# Exports the bundled model and five small models trained here on 3,000 MNIST
# images, one epoch each (a few seconds), with the layouts that are easy to get
# wrong in ONNX: strides 2 with Keras's asymmetric `same` padding, `valid` padding
# with a Dense right after a 1x1 convolution output, even and non-square kernels with
# a separate ReLU, a linear convolution and a `same` pool; bn folded into a conv, a
# dense and residual blocks (with and without a shortcut conv), bn left as Mul + Add
# over channels and over features, average and global average pooling. For each model NAME:
# OUT/NAME.onnx and blnk's answers on the 10,000 MNIST test images, OUT/NAME.probs.f32
# (tools/onnx_probe.cpp); the images as the network sees them: OUT/images.f32.
# And a colour model with every layer kind that has its own operators (a leading bn
# as a Rescaling import gives, a conv with bn, residual blocks with and without a
# shortcut conv, average pooling, bn over channels and over features, gap) on 36x28 RGB
# input, random weights and the photographs' bn statistics (there is no colour training
# set here), run on the photographs of ../shared/data/photo-digits (BLNK_PHOTO_DIR) in colour:
# OUT/colour_res.images.f32 (N, 3, 36, 28) and OUT/colour_res.shape ("3 36 28", the
# input's C H W for the readers; without it a model takes images.f32 as 1 28 28).
# usage: make_models.sh BLNK PROBE SOURCE_DIR OUT_DIR
# Without the MNIST files (BLNK_DATA_DIR or ../shared/data/mnist) the trained models get
# random weights instead (tools/onnx_probe.cpp --init) and there are no answers: the
# checker still runs, the runtimes' comparisons report Skipped.
set -euo pipefail
blnk=$1 probe=$2 source=$3 out=$4
data=${BLNK_DATA_DIR:-$source/../shared/data/mnist}
photos=${BLNK_PHOTO_DIR:-$source/../shared/data/photo-digits}
colour_spec="bn,conv16:s=2,bn,res16,res32:s=2,avgpool,bn,gap,dense32,bn,dense6"
colour_shape=(3 36 28)  # C H W
find_file() {  # the plain or gzipped IDX file, or nothing
  for f in "$data/$1" "$data/$1.gz"; do [ -f "$f" ] && { echo "$f"; return 0; }; done
  return 0
}
train_images=$(find_file train-images-idx3-ubyte) train_labels=$(find_file train-labels-idx1-ubyte)
test_images=$(find_file t10k-images-idx3-ubyte)
have_data=yes
if [ -z "$train_images" ] || [ -z "$train_labels" ] || [ -z "$test_images" ]; then
  echo "no MNIST files in $data (set BLNK_DATA_DIR): random weights, no answers to compare"
  have_data=
fi
mkdir -p "$out"
rm -f "$out"/*.onnx "$out"/*.f32 "$out"/*.blnk "$out"/*.shape

declare -A specs=(
  [strides2]="conv16:s=2,conv32:s=2,flatten,dense32,dense10"
  [valid]="conv8:k=5:pad=valid,pool,conv16:pad=valid,pool:k=3:s=1,conv16:k=8:pad=valid,dense10"
  [even_kernel]="conv8:k=4:act=linear,relu,pool:k=3:s=2:pad=same,conv16:k=2x4:s=2x1,drop0.3,flatten,dense24,dense10"
  [bn_res]="conv16:s=2,bn,res16,res32:s=2,avgpool,bn,gap,dense32,bn,dense10"
  [bn_flat]="conv8:s=2,pool,flatten,bn,dense16:act=relu,bn,dense10"
)
cp "$source/models/mnist.blnk" "$out/bundled.blnk"
for name in "${!specs[@]}"; do
  if [ -z "$have_data" ]; then
    "$probe" --init "${specs[$name]}" 7 "$out/$name.blnk"
    continue
  fi
  # The bn models train 560 steps, so that they read digits (80% and 89%) and the
  # comparison sees varied probabilities.
  steps=(--epochs 1)
  [[ $name == bn_* ]] && steps=(--epochs 3 --batch-size 16)
  "$blnk" train --train-images "$train_images" --train-labels "$train_labels" --limit 3000 "${steps[@]}" \
    --threads 2 --seed 7 --arch "${specs[$name]}" --out "$out/$name.blnk" --quiet
  rm -f "$out/$name.blnk.ckpt"
done
shopt -s nullglob
photo_files=("$photos"/*.png "$photos"/*.jpg)
[ ${#photo_files[@]} -gt 0 ] || echo "no photographs in $photos (set BLNK_PHOTO_DIR): the colour model is not compared"
# Its bn statistics are the photographs' (tools/onnx_probe.cpp): its answers then vary.
"$probe" --init "$colour_spec" 11 "$out/colour_res.blnk" "${colour_shape[1]}x${colour_shape[2]}x${colour_shape[0]}" \
  "${photo_files[@]}"
echo "${colour_shape[*]}" > "$out/colour_res.shape"
for name in bundled colour_res "${!specs[@]}"; do
  "$blnk" export-onnx "$out/$name.blnk" --out "$out/$name.onnx"
done
if [ ${#photo_files[@]} -gt 0 ]; then
  "$probe" --images "$out/colour_res.blnk" "$out/colour_res.probs.f32" "$out/colour_res.images.f32" "${photo_files[@]}"
fi
[ -n "$have_data" ] || exit 0
"$probe" "$out/bundled.blnk" "$test_images" "$out/bundled.probs.f32" "$out/images.f32"
for name in "${!specs[@]}"; do
  "$probe" "$out/$name.blnk" "$test_images" "$out/$name.probs.f32"
done
