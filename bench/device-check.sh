#!/usr/bin/env bash
# One prepared check for a machine with a real GPU (under 5 minutes): prints the GPU and the WebGPU
# adapter Dawn picks, runs the webgpu selection and parity tests (webgpu vs wasm, same seed, plus
# the tiny experiment), and measures training and encoding throughput of the default and the
# DistilBERT-size students on webgpu (bench/webgpu.ts). Run from the repository root after
# `npm ci` (node_modules present). Writes its log and the benchmark JSON to $OUT (default:
# out/device-check). On a software adapter (lavapipe) it still runs, labelled, with the default
# student only (DistilBERT-size on lavapipe takes far longer than the budget).
#   bench/device-check.sh            # everything
#   BUDGET_S=600 bench/device-check.sh
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-out/device-check}"
mkdir -p "$out"
log="$out/device-check.log"
: >"$log"
start=$(date +%s)
budget="${BUDGET_S:-290}"
say() { echo "$*" | tee -a "$log"; }
left() { echo $(( budget - ($(date +%s) - start) )); }
# Runs a stage under what is left of the budget; a stage that fails or times out is reported, the rest still run.
stage() {
  local name="$1"; shift
  local t; t=$(left)
  if [ "$t" -lt 20 ]; then say "== $name: SKIPPED (budget of ${budget} s spent)"; failed+=("$name (no time)"); return; fi
  say "== $name (at most ${t} s)"
  local t0; t0=$(date +%s)
  timeout "$t" "$@" 2>&1 | grep -v '^Warning: maxDynamic' | tee -a "$log"
  local rc=${PIPESTATUS[0]}
  say "== $name: exit $rc after $(( $(date +%s) - t0 )) s"
  [ "$rc" -eq 0 ] || failed+=("$name (exit $rc)")
}
failed=()

# Mesa's Vulkan drivers complain on every start without it.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
# NVIDIA containers often mount the driver's Vulkan ICD outside the loader's search path.
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  for icd in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$icd" ]; then
      case "$icd" in /usr/local/*) export VK_DRIVER_FILES="$icd"; say "using the NVIDIA Vulkan ICD at $icd" ;; esac
      break
    fi
  done
fi

say "== machine: $(uname -srm), $(nproc) cores, node $(node --version), $(date -u +%FT%TZ)"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | sed 's/^/   nvidia-smi: /' | tee -a "$log"
else
  say "   nvidia-smi: not found"
fi
if ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  say "   Vulkan loader: $(ldconfig -p | grep -m1 'libvulkan\.so\.1' | awk '{print $NF}')"
else
  say "   Vulkan loader: libvulkan.so.1 NOT found (Debian/Ubuntu: apt-get install libvulkan1); Dawn will find no adapter"
fi
ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null | grep -i json | sed 's/^/   ICD: /' | tee -a "$log"
[ -d node_modules/webgpu ] || { say "node_modules/webgpu missing: run npm ci first"; exit 2; }

stage adapter npx tsx -e "
  const b = require('./lib/backend');
  b.webgpuAdapter().then((p) => {
    if (!p.ok) { console.log('NO ADAPTER: ' + p.reason); process.exit(1); }
    console.log(b.formatAdapter(p.report)); console.log(JSON.stringify(p.report));
  });"
software=$(grep -q '"software":true' "$log" && echo 1 || echo 0)
[ "$software" = 1 ] && say "!! the adapter is a SOFTWARE device: the figures below are CPU figures, not GPU ones"

stage "webgpu tests (selection, parity, tiny experiment)" npx mocha tests/backend/webgpuSelect.test.ts tests/backend/webgpuParity.test.ts
models=default,distilbert
[ "$software" = 1 ] && models=default
stage "throughput (train + encode, $models)" bash -c "npx tsx bench/webgpu.ts --models $models > '$out/webgpu-bench.json'; rc=\$?; cat '$out/webgpu-bench.json'; exit \$rc"

say "== done in $(( $(date +%s) - start )) s; log: $log; figures: $out/webgpu-bench.json"
if ((${#failed[@]})); then say "FAILED: ${failed[*]}"; exit 1; fi
say "all stages passed"
