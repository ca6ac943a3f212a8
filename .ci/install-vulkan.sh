#!/usr/bin/env bash
# Installs a Vulkan driver Dawn (the `webgpu` package) accepts on Debian 12: Mesa 25 lavapipe from
# bookworm-backports. Bookworm's own mesa-vulkan-drivers (22.3) lacks features Dawn requires
# ("Vulkan shaderUniform*ArrayDynamicIndexing required"). Idempotent; run as root. Used by .ci/run
# and by hand (`sudo .ci/install-vulkan.sh`); --check only says whether the driver is there.
set -euo pipefail

# The Mesa version verified with Dawn here (25.0.7); 22.3 is known to fail.
min_major=25
installed_version() {
  dpkg-query -W -f='${Status} ${Version}' mesa-vulkan-drivers 2>/dev/null | awk '$3 == "installed" {print $4}'
}
version_ok() {
  local v; v=$(installed_version)
  [ -n "$v" ] && [ "${v%%.*}" -ge "$min_major" ] && dpkg-query -W -f='${Status}' libvulkan1 2>/dev/null | grep -q 'install ok installed'
}

if [ "${1:-}" = "--check" ]; then
  if version_ok; then echo "vulkan: mesa-vulkan-drivers $(installed_version) + libvulkan1 present"; exit 0; fi
  echo "vulkan: mesa-vulkan-drivers >= $min_major (bookworm-backports) missing (have: $(installed_version || true))"; exit 1
fi

if version_ok; then
  echo "== vulkan driver present: mesa-vulkan-drivers $(installed_version)"
  exit 0
fi

# shellcheck disable=SC1091
. /etc/os-release
if [ "${VERSION_CODENAME:-}" != "bookworm" ]; then
  echo "install-vulkan: this recipe is for Debian 12 (bookworm); found '${PRETTY_NAME:-unknown}'." >&2
  echo "  Install a Mesa >= 23 Vulkan driver (mesa-vulkan-drivers) or your GPU vendor's driver with its Vulkan ICD." >&2
  exit 1
fi

# Add bookworm-backports from the same mirror and component as the machine's own Debian entry
# (deb822 .sources or one-line sources.list), unless some source already lists the suite.
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  mirror=''; components=''; signed=''
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # The first stanza whose Suites include plain 'bookworm'.
    read -r mirror components signed < <(awk '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; suites = ""; comps = ""; key = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris); split(uris, u, /[ \t]+/); uris = u[1] }
          if ($i ~ /^Suites:/) suites = " " $i " "
          if ($i ~ /^Components:/) { comps = $i; sub(/^Components:[ \t]*/, "", comps); gsub(/[ \t]+/, ",", comps) }
          if ($i ~ /^Signed-By:/) { key = $i; sub(/^Signed-By:[ \t]*/, "", key) }
        }
        if (suites ~ / bookworm / && uris != "") { print uris, comps, (key == "" ? "-" : key); exit }
      }' "$f") || true
    [ -n "$mirror" ] && break
  done
  if [ -n "$mirror" ]; then
    target=/etc/apt/sources.list.d/bookworm-backports.sources
    {
      echo "Types: deb"
      echo "URIs: $mirror"
      echo "Suites: bookworm-backports"
      echo "Components: ${components//,/ }"
      [ "$signed" != "-" ] && echo "Signed-By: $signed"
    } >"$target.tmp"
    mv "$target.tmp" "$target"
  else
    line=$(grep -hE '^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+[[:space:]]+bookworm[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -1 || true)
    if [ -z "$line" ]; then
      echo "install-vulkan: no Debian 'bookworm' entry in /etc/apt/sources.list* to copy the mirror from." >&2
      exit 1
    fi
    target=/etc/apt/sources.list.d/bookworm-backports.list
    # Same options, mirror and components; only the suite changes.
    echo "$line" | sed -E 's/([[:space:]])bookworm([[:space:]])/\1bookworm-backports\2/' >"$target.tmp"
    mv "$target.tmp" "$target"
  fi
  echo "== added bookworm-backports: $target"
  sed 's/^/   /' "$target"
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1
version_ok || { echo "install-vulkan: mesa-vulkan-drivers $(installed_version) is still older than $min_major" >&2; exit 1; }
echo "== vulkan driver installed: mesa-vulkan-drivers $(installed_version)"
