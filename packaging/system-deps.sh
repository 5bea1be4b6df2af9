#!/bin/sh
# The system libraries the desktop app needs beyond its Python packages, on Debian and Ubuntu:
# Qt's X11/Wayland platform plugins, QtMultimedia's PulseAudio client, and Xvfb for the
# screenshot test. Elsewhere (macOS, Windows, other Linux) the Python wheels carry what is needed.
set -eu
command -v apt-get >/dev/null 2>&1 || exit 0
PACKAGES="libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libpulse0 xvfb xauth"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Install these Debian packages first (as root):$missing" >&2
    exit 1
fi
echo "Installing system libraries for the desktop app:$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # one package per word
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
