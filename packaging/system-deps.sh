#!/bin/sh
# The system libraries the desktop app needs beyond its Python packages, on Debian and Ubuntu
# (packaging/debian-runtime.txt: Qt's X11/Wayland platform plugins, QtMultimedia's PulseAudio
# client); `system-deps.sh test` adds what the tests use: Xvfb, and the validators of the
# desktop entry, the AppStream metainfo and the Flatpak manifest, and espeak-ng (the words
# tests speak their sentences with it), and the fonts the reading tests draw text with. Elsewhere (macOS, Windows, other Linux) the Python
# wheels carry what is needed.
set -eu
command -v apt-get >/dev/null 2>&1 || exit 0
RUNTIME=$(sed 's/#.*//' "$(dirname "$0")/debian-runtime.txt")
PACKAGES="$RUNTIME"
[ "${1:-}" = "test" ] && PACKAGES="$PACKAGES xvfb xauth desktop-file-utils appstream flatpak-builder espeak-ng fonts-dejavu-core fonts-noto-cjk"
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
