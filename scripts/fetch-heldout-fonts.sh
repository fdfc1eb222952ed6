#!/usr/bin/env bash
# Unpacks, without installing, the Debian font packages that only
# scripts/make-heldout-set2.py reads, into DIR (default build/heldout-fonts). Installed
# fonts would be found by the stress suite's and test photos' font search
# (scripts/make-test-photos.py), and the held-out families would no longer be held out.
# Idempotent: does nothing when DIR holds them all. Needs apt-get and dpkg-deb (Debian).
#   scripts/fetch-heldout-fonts.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build/heldout-fonts}
packages=(fonts-bwht fonts-breip fonts-sjfonts fonts-yusei-magic fonts-b612 fonts-cabin fonts-dosis fonts-jura
          fonts-league-spartan fonts-ocr-b fonts-beteckna fonts-dseg)
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
echo "fetch-heldout-fonts: ${#packages[@]} font packages unpacked into $dir"
