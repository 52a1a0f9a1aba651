#!/usr/bin/env bash
# Every GPU figure in one call on a lent NVIDIA machine (Dawn/Vulkan in Node): the environment, parity
# (WebGPU against WASM, kernels and trajectories, and a layered run traced call by call), every suite at ci scale on webgpu-gpu, the
# benchmark with the sweep, then suites at full scale, each under its own time limit, until the budget is
# spent. A step cut off by its limit writes nothing (no half reports) and the log says so.
# Prepare here with scripts/gpu-pack.sh; on the machine run from the repository root:
#   GPU_BUDGET_S=450 bash scripts/gpu-figures.sh        (results under $OUT, else reports/gpu)
# GPU_ADAPTER=swiftshader runs the same steps on a software adapter (a dry run of the script, here);
# GPU_STEPS picks steps (default "parity ci bench full"), GPU_BENCH_FILTER passes --filter to the bench,
# GPU_CI_SUITES lists the suites of the ci step (anchor-function, whose 6,000-step transformer runs have no
# GPU timing yet, runs at ci in a step of its own), GPU_FULL_SUITES the full-scale suites in the order they run.
set -u
OUT=${OUT:-reports/gpu}
BUDGET=${GPU_BUDGET_S:-450}
ADAPTER=${GPU_ADAPTER:-gpu}
PROJECT=webgpu-$ADAPTER
# the device name on merged pages and sites (suite results and bench files): the GPU model, unless set
export CONDENSA_DEVICE=${CONDENSA_DEVICE:-$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1 | tr -c "[:alnum:]\n" - | sed "s/-*$//")}
STEPS=${GPU_STEPS:-parity ci bench full}
BENCH_FILTER=${GPU_BENCH_FILTER:+--filter $GPU_BENCH_FILTER}
CI_SUITES=${GPU_CI_SUITES:-condensation initial-condensation multiplicity cluster-growth phase-diagram embedding-principle dropout cnn-condensation resnet-digits}
FULL_SUITES=${GPU_FULL_SUITES:-condensation initial-condensation multiplicity embedding-principle phase-diagram cnn-condensation resnet-digits dropout cluster-growth anchor-function}
WORK=$OUT/work
mkdir -p "$WORK"
exec > >(tee -a "$OUT/log.txt") 2>&1
t0=$(date +%s)

# The machine is bare: a Vulkan loader, Node and node_modules come from scripts/gpu-pack.sh.
if ! ldconfig -p | grep -q libvulkan.so.1 && [ -d .gl ]; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
if [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] && [ "$ADAPTER" = gpu ]; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi
if ! command -v node >/dev/null; then
  mkdir -p /tmp/node-bin && xz -dc .gpu/node.xz > /tmp/node-bin/node && chmod +x /tmp/node-bin/node
  export PATH=/tmp/node-bin:$PATH
fi
[ -d node_modules ] || tar xJf .gpu/node_modules.tar.xz
echo "set-up: $(( $(date +%s) - t0 )) s; node $(node --version); $(nproc) cores"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>/dev/null

CONDENSA=(node bin/condensa.js)   # one process, so a time limit stops all of it

# step NAME LIMIT_S COMMAND…: runs under min(LIMIT_S, what the budget has left); logs exit status and time.
step() {
  local name=$1 limit=$2; shift 2
  local left=$(( BUDGET - ($(date +%s) - t0) - 45 ))   # 45 s kept for packing the results
  (( limit > left )) && limit=$left
  if (( limit < 20 )); then echo "== $name: skipped, budget spent"; return; fi
  echo "== $name (limit ${limit} s): $*"
  local s=$(date +%s)
  timeout --signal=KILL "$limit" "$@"
  local rc=$?
  echo "== $name: exit $rc$([ $rc = 137 ] && echo ' (cut off by its limit)') after $(( $(date +%s) - s )) s"
}

wants() { [[ " $STEPS " == *" $1 "* ]]; }
wants parity && step parity 90 "${CONDENSA[@]}" parity --runtime node --adapter "$ADAPTER" --json "$WORK/parity-$ADAPTER.json"
# the first call over budget (if any) of a layered run on this GPU, every kernel in the form the GPU gets
wants parity && step trace 40 "${CONDENSA[@]}" parity --trace examples/small-cnn.json --steps 20 --adapter "$ADAPTER" --json "$WORK/parity-trace-$ADAPTER.json"
# shellcheck disable=SC2046
wants ci && step suite-ci 120 "${CONDENSA[@]}" suite --runtime node --project "$PROJECT" --scale ci $(printf -- '--suite %s ' $CI_SUITES) --out "$WORK/ci"
wants ci && step suite-ci-anchor-function 150 "${CONDENSA[@]}" suite --runtime node --project "$PROJECT" --scale ci --suite anchor-function --out "$WORK/ci-anchor-function"
# shellcheck disable=SC2086
# tfjs-cpu and the scalar reference take seconds a call and say nothing about the GPU: left out here
wants bench && step bench 200 "${CONDENSA[@]}" bench --quick --sweep --webgpu "$ADAPTER" --skip tfjs-cpu --skip reference-scalar $BENCH_FILTER --json "$WORK/bench-$ADAPTER.json"
if wants full; then
  for s in $FULL_SUITES; do
    step "suite-full-$s" 150 "${CONDENSA[@]}" suite --runtime node --project "$PROJECT" --scale full --suite "$s" --out "$WORK/full-$s"
  done
fi

# What comes back: the log, parity and bench files, a compact summary of each suite result, and the
# full results compressed when they fit the transfer limit (16 MiB a file).
for f in "$WORK"/ci/*.json "$WORK"/ci-*/*.json "$WORK"/full-*/*.json; do
  [ -f "$f" ] || continue
  name=$(basename "$(dirname "$f")")
  node scripts/suite-summary.mjs "$f" > "$WORK/summary-$name.json"
done
(cd "$WORK" && tar cJf ../figures.tar.xz parity-*.json bench-*.json summary-*.json 2>/dev/null)
(cd "$WORK" && tar cJf ../results.tar.xz --exclude='*.html' --exclude='.playwright' ci ci-* full-* 2>/dev/null)
[ "$(stat -c %s "$OUT/results.tar.xz" 2>/dev/null || echo 0)" -gt 16000000 ] && rm -f "$OUT/results.tar.xz"
rm -rf "$WORK"
echo "done in $(( $(date +%s) - t0 )) s"; ls -la "$OUT"
