#!/usr/bin/env bash
# Unpacks, without installing, the Debian font packages that only one held-out set's
# generator reads: set 2 (scripts/make-heldout-set2.py, default DIR build/heldout-fonts) or
# set 3 (scripts/make-heldout-set3.py, default DIR build/heldout3-fonts), set 4
# (scripts/make-heldout-set4.py, default DIR build/heldout4-fonts), set 5
# (scripts/make-heldout-set5.py, default DIR build/heldout5-fonts), set 6
# (scripts/make-heldout-set6.py, default DIR build/heldout6-fonts), set 7
# (scripts/make-heldout-set7.py, default DIR build/heldout7-fonts), set 8
# (scripts/make-heldout-set8.py, default DIR build/heldout8-fonts), set 9
# (scripts/make-heldout-set9.py, default DIR build/heldout9-fonts), set 10
# (scripts/make-heldout-set10.py, default DIR build/heldout10-fonts), set 11
# (scripts/make-heldout-set11.py, default DIR build/heldout11-fonts), set 12
# (scripts/make-heldout-set12.py, default DIR build/heldout12-fonts), set 13
# (scripts/make-heldout-set13.py, default DIR build/heldout13-fonts), set 14
# (scripts/make-heldout-set14.py, default DIR build/heldout14-fonts), set 15
# (scripts/make-heldout-set15.py, default DIR build/heldout15-fonts), set 16
# (scripts/make-heldout-set16.py, default DIR build/heldout16-fonts) or set 17
# (scripts/make-heldout-set17.py, default DIR build/heldout17-fonts). Installed fonts
# would be found by the stress suite's and test photos' font search
# (scripts/make-test-photos.py), and the held-out families would no longer be held out.
# Idempotent: does nothing when DIR holds them all. Needs apt-get and dpkg-deb (Debian).
#   scripts/fetch-heldout-fonts.sh [--set 2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17] [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
set_number=2
if [ "${1:-}" == "--set" ]; then
  set_number=${2:-}
  shift 2 || true
fi
case "$set_number" in
  2) packages=(fonts-bwht fonts-breip fonts-sjfonts fonts-yusei-magic fonts-b612 fonts-cabin fonts-dosis fonts-jura
               fonts-league-spartan fonts-ocr-b fonts-beteckna fonts-dseg)
     dir=${1:-build/heldout-fonts} ;;
  3) packages=(fonts-klee fonts-kiloji fonts-seto fonts-kristi fonts-dancingscript fonts-kaushanscript fonts-rufscript
               fonts-tomsontalks fonts-opendin fonts-jetbrains-mono fonts-open-sans fonts-dotgothic16)
     dir=${1:-build/heldout3-fonts} ;;
  4) packages=(fonts-leckerli-one fonts-bebas-neue fonts-national-park fonts-roadgeek fonts-comfortaa fonts-quicksand
               fonts-bajaderka fonts-linuxlibertine fonts-averia-serif-gwf)
     dir=${1:-build/heldout4-fonts} ;;
  5) packages=(fonts-aoyagi-soseki fonts-inconsolata fonts-3270 fonts-mononoki fonts-courier-prime fonts-roboto-slab
               fonts-eurofurence)
     dir=${1:-build/heldout5-fonts} ;;
  6) packages=(fonts-lato fonts-karla fonts-play fonts-lobster fonts-ecolier-court)
     dir=${1:-build/heldout6-fonts} ;;
  7) packages=(fonts-oldstandard fonts-cherrybomb fonts-reggae fonts-staypuft fonts-sora fonts-manrope fonts-lemonada)
     dir=${1:-build/heldout7-fonts} ;;
  8) packages=(fonts-cantarell fonts-yanone-kaffeesatz fonts-go fonts-crosextra-caladea fonts-tuffy fonts-oxygen
               fonts-wqy-microhei)
     dir=${1:-build/heldout8-fonts} ;;
  9) packages=(fonts-adf-gillius fonts-adf-switzera fonts-adf-universalis fonts-inter)
     dir=${1:-build/heldout9-fonts} ;;
  10) packages=(fonts-gnutypewriter fonts-paratype fonts-clear-sans fonts-roboto-unhinted)
      dir=${1:-build/heldout10-fonts} ;;
  11) packages=(fonts-crosextra-carlito fonts-sil-andika fonts-gfs-neohellenic)
      dir=${1:-build/heldout11-fonts} ;;
  12) packages=(fonts-tiresias fonts-routed-gothic fonts-lobstertwo)
      dir=${1:-build/heldout12-fonts} ;;
  13) packages=(fonts-sil-charis fonts-texgyre fonts-league-mono fonts-mplus)
      dir=${1:-build/heldout13-fonts} ;;
  14) packages=(fonts-croscore fonts-sil-gentiumplus)
      dir=${1:-build/heldout14-fonts} ;;
  15) packages=(fonts-quattrocento fonts-sil-doulos)
      dir=${1:-build/heldout15-fonts} ;;
  16) packages=(fonts-adf-verana fonts-rocknroll fonts-cmu)
      dir=${1:-build/heldout16-fonts} ;;
  17) packages=(fonts-allerta fonts-averia-sans-gwf fonts-karmilla)
      dir=${1:-build/heldout17-fonts} ;;
  *) echo "fetch-heldout-fonts: --set must be 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 or 17, not '$set_number'" >&2; exit 2 ;;
esac
stamp="$dir/.packages"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" == "${packages[*]}" ]; then
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# (As root apt-get warns that it downloads unsandboxed: harmless, hidden on the first try.)
if ! (cd "$work" && apt-get download -qq "${packages[@]}" 2>/dev/null); then
  # Package lists may be missing (a fresh machine): update them once, then try again.
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  (cd "$work" && apt-get download -qq "${packages[@]}") || {
    echo "fetch-heldout-fonts: apt-get download ${packages[*]} failed" >&2; exit 1; }
fi
mkdir -p "$dir"
for deb in "$work"/*.deb; do
  dpkg-deb -x "$deb" "$dir"
done
echo "${packages[*]}" >"$stamp"
echo "fetch-heldout-fonts: ${#packages[@]} font packages of held-out set $set_number unpacked into $dir"
