#!/usr/bin/env bash
# Unzips a credentials bundle as the bundle's README says `unzip` would: each file keeps the
# mode the zip records (client.key, client.p12 and README.md 0600, the examples 0755), and
# nothing is ever readable by other users while or after it is written (umask 077; the bundle
# folder 0700). Python's zipfile (used because `unzip` may be missing) ignores the modes.
#   bash scripts/extract-bundle.sh <bundle.zip> <destination folder>
source "$(dirname "$0")/common.sh"

[ $# -eq 2 ] || die "usage: extract-bundle.sh <bundle.zip> <destination folder>"
zip_file=$1
dest=$2
[ -f "$zip_file" ] || die "no such bundle: $zip_file"

umask 077
mkdir -p "$dest"
python3 - "$zip_file" "$dest" <<'PY'
import os, stat, sys, zipfile

zip_path, dest = sys.argv[1], os.path.realpath(sys.argv[2])
with zipfile.ZipFile(zip_path) as z:
    for info in z.infolist():
        target = os.path.realpath(os.path.join(dest, info.filename))
        if not target.startswith(dest + os.sep):
            sys.exit(f"refusing {info.filename!r}: it would land outside {dest}")
        z.extract(info, dest)
        # The upper 16 bits of external_attr are the Unix mode; never more than the owner's
        # read/write/execute plus what the zip grants group and others on public files.
        mode = (info.external_attr >> 16) & 0o777
        if info.is_dir():
            os.chmod(target, 0o700)
        elif mode:
            os.chmod(target, mode)
        else:
            os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
    # Every folder of the bundle: its owner only.
    for name in {os.path.dirname(i.filename) for i in z.infolist()}:
        while name:
            os.chmod(os.path.join(dest, name), 0o700)
            name = os.path.dirname(name)
PY
