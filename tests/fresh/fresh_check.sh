#!/usr/bin/env bash
# make fresh-check: the README's two commands on a fresh Debian 12 machine.
#
# A clean clone of this repository's HEAD goes into a minimal Debian 12 root (debootstrap
# --variant=minbase, from the Debian archive this machine is configured with, plus only git and
# make: what a user needs to clone and to type `make`), and `make run` then `make test` run
# there as root. Whatever the project forgot to install is missing there, so the build or a test
# fails: a machine that has had packages installed by hand cannot hide it.
#
# The compiler cache of this machine is lent to the root (CCACHE_DIR), so the check costs
# minutes, not a cold build; it cannot hide a missing header or library (ccache re-runs the
# preprocessor when an include file is missing or changed, and links and tests are never cached).
# FRESH_CCACHE=0 builds cold, as README.md's timings were measured.
#
# Usage: tests/fresh/fresh_check.sh [WORKDIR]   (default build/fresh; needs root)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-$repo/build/fresh}
base=$work/base            # the pristine debootstrapped system, made once per work folder
root=$work/root            # a copy of it, new for every check
suite=bookworm

[[ $(id -u) -eq 0 ]] || { echo "fresh-check: needs root (debootstrap, chroot, mount)" >&2; exit 2; }
command -v debootstrap > /dev/null || {
  echo "fresh-check: installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap > /dev/null
}

# The archive this machine uses (deb822 sources or a one-line sources.list).
mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2> /dev/null | awk '{print $2}' |
           grep -v security | head -n1 || true)
[[ -n $mirror ]] || mirror=$(grep -hE '^deb ' /etc/apt/sources.list 2> /dev/null | awk '{print $2}' | head -n1 || true)
[[ -n $mirror ]] || mirror=http://deb.debian.org/debian

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2> /dev/null || true; done
}
trap cleanup EXIT
mountin() { mount "$@"; mounted+=("${*: -1}"); }

seconds() { date +%s; }
t0=$(seconds)
if [[ ! -f $base/.complete ]]; then
  rm -rf "$base"
  echo "fresh-check: debootstrap --variant=minbase $suite from $mirror"
  debootstrap --variant=minbase --include=git,make,ca-certificates "$suite" "$base" "$mirror" > "$work.debootstrap.log" 2>&1 ||
    { tail -20 "$work.debootstrap.log" >&2; exit 1; }
  touch "$base/.complete"
fi
rm -rf "$root"
cp -a "$base" "$root"
rm -f "$root/.complete"
# The same archive lists as this machine (a Debian 12 machine has updates and security too).
if compgen -G "/etc/apt/sources.list.d/*.sources" > /dev/null; then
  cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/"
  : > "$root/etc/apt/sources.list"
fi
# The network this machine is on, as any machine on it would be set up: its resolver, the
# certificate authorities it added (a TLS-inspecting proxy's), npm's CA file. Nothing of the
# project's is carried over.
cp /etc/resolv.conf "$root/etc/resolv.conf"
if compgen -G "/usr/local/share/ca-certificates/*.crt" > /dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates > /dev/null 2>&1 || true
fi
[[ -f /etc/npmrc ]] && cp /etc/npmrc "$root/etc/npmrc"
t_root=$(($(seconds) - t0))

# A clean clone of HEAD, as a user gets it.
mkdir -p "$root/work"
git clone --quiet --no-local "$repo" "$root/work/ksframe"
git -C "$root/work/ksframe" checkout --quiet "$(git -C "$repo" rev-parse HEAD)"

mountin -t proc proc "$root/proc"
mountin -t sysfs sys "$root/sys"
mountin --bind /dev "$root/dev"
mountin -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666 2> /dev/null ||
  true
mountin -t tmpfs tmpfs "$root/dev/shm"
env_args=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
          LANG=C.UTF-8 TERM=dumb CI=true)
# Node.js reads only its own CA list unless told: the system's, with the authorities above.
[[ -n ${NODE_EXTRA_CA_CERTS:-} ]] && env_args+=(NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
if [[ ${FRESH_CCACHE:-1} != 0 ]]; then
  cache=$(ccache -k cache_dir 2> /dev/null || echo "$HOME/.cache/ccache")
  mkdir -p "$cache" "$root/ccache"
  mountin --bind "$cache" "$root/ccache"
  env_args+=(CCACHE_DIR=/ccache)  # the Makefile sets the base folder
fi

step() {
  local name=$1 start
  shift
  start=$(seconds)
  echo "fresh-check: $name"
  if ! chroot "$root" /usr/bin/env -i "${env_args[@]}" bash -c "cd /work/ksframe && $*" > "$work.$name.log" 2>&1; then
    tail -40 "$work.$name.log" >&2
    echo "fresh-check: '$*' FAILED on a fresh Debian 12 root after $(($(seconds) - start)) s (log: $work.$name.log)" >&2
    exit 1
  fi
  echo "fresh-check: $* passed in $(($(seconds) - start)) s"
}
step make-run make run
step make-test make test
echo "fresh-check: passed (root ready in ${t_root} s)"
