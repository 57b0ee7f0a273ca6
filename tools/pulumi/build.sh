#!/usr/bin/env bash
# Builds the Pulumi CLI pinned in this folder's go.mod/go.sum (imported by tools.go), the YAML
# language host pinned in yaml/, our lifeline, and the SDK generators (gen-sdk for Python, Node.js
# and Go; gen-sdk-java; gen-sdk-dotnet; what they share is in sdkgen/), into a cache folder outside
# the repository keyed by the pins, so that a second run costs nothing. yaml/ and each generator are modules of their own
# because each needs another pkg/v3 than the CLI's. The first build compiles a large tree: several
# minutes on two cores.
#
#   build.sh           build if needed; the last line printed is the folder of the binaries
#   build.sh --where   build nothing: print that folder; exit 0 if it is built, 3 if not
#
# The cache lives in $CAUSEFLOW_PULUMI_CACHE, else $XDG_CACHE_HOME/causeflow/pulumi-cli, else
# ~/.cache/causeflow/pulumi-cli. Without Go this says so and exits 0 (the CLI tests then skip),
# except under CI=true, where a missing CLI is a failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${CAUSEFLOW_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/causeflow/pulumi-cli}"
# Everything that decides what is built: this script, and every module's pins and Go sources.
key="$(cd "$here" && find . -name build.sh -o -name go.mod -o -name go.sum -o -name '*.go' | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)"
dir="$cache_root/$key"
bin="$dir/bin"

say() { echo "pinned Pulumi CLI: $*" >&2; }

if [[ "${1:-}" == "--where" ]]; then
  echo "$bin"
  [[ -f "$dir/complete" ]] && exit 0 || exit 3
fi
if [[ -f "$dir/complete" ]]; then
  echo "$bin"
  exit 0
fi
if ! command -v go >/dev/null; then
  if [[ "${CI:-}" == "true" ]]; then
    say "no Go on this machine, and CI needs the CLI: install Go $(sed -n 's/^go //p' "$here/go.mod") or later" && exit 1
  fi
  say "not built: no Go on this machine, so the tests that need the real CLI will skip"
  exit 0
fi

cd "$here"
export GOFLAGS=-mod=readonly
mkdir -p "$cache_root"
staging="$(mktemp -d "$cache_root/.$key.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

# Progress from `go install -v`, which names each package it compiles (a cached one, not): a count
# every 100 packages; any other line (an error) as it is.
show_progress() {
  local name="$1" count=0 line
  while IFS= read -r line; do
    if [[ "$line" =~ ^[^[:space:]:]+$ ]]; then
      count=$((count + 1))
      ((count % 100)) || say "    $name: $count packages compiled, $((SECONDS - started)) s so far"
    else
      echo "$line" >&2
    fi
  done
}
# Each program as "<module folder> <package>": ours, then those each tools.go imports.
programs=(". ./lifeline" "gen-sdk ." "gen-sdk-java ." "gen-sdk-dotnet .")
for module in . yaml; do
  for package in $(sed -n 's/^[[:space:]]*_ "\(.*\)"$/\1/p' "$module/tools.go"); do programs+=("$module $package"); done
done
started=$SECONDS
say "building ${#programs[@]} programs into $dir (the first build takes several minutes on two cores)"
n=0
for program in "${programs[@]}"; do
  read -r module package <<<"$program"
  name="$(basename "$package")"
  [[ "$name" == . ]] && name="$module"
  n=$((n + 1))
  say "[$n/${#programs[@]}] $name"
  # The version a release's linker flags stamp in: the CLI checks plugins' required versions against it.
  ldflags=""
  read -r module_path module_version < <(cd "$module" && go list -f '{{with .Module}}{{.Path}} {{.Version}}{{end}}' "$package")
  case "$module_path" in
    github.com/pulumi/pulumi/pkg/v3) ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$module_version" ;;
    github.com/pulumi/pulumi-yaml) ldflags="-X github.com/pulumi/pulumi-yaml/pkg/version.Version=$module_version" ;;
  esac
  if ! (cd "$module" && GOBIN="$staging/bin" go install -v -ldflags "$ldflags" "$package" 2>&1) | show_progress "$name"; then
    say "building $package failed (above); its pins are in $here/$module/go.mod"
    exit 1
  fi
done

# What a CLI release ships beside `pulumi` and a build from Go modules lacks: the launcher of the
# dynamic-provider host, which runs @pulumi/pulumi's own from the program's folder.
cat > "$staging/bin/pulumi-resource-pulumi-nodejs" <<'LAUNCHER'
#!/bin/sh
entry="$(node -p 'require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [process.cwd()] })')" || exit 1
exec node "$entry" "$@"
LAUNCHER
chmod +x "$staging/bin/pulumi-resource-pulumi-nodejs"

"$staging/bin/pulumi" version >/dev/null || { say "the pulumi built does not run (above)"; exit 1; }
rm -rf "$dir"
mv "$staging" "$dir"
trap - EXIT
touch "$dir/complete"
# Builds for earlier pins are 200 MB each: keep this one and the one before it.
ls -dt "$cache_root"/[0-9a-f]*/ 2>/dev/null | grep -E '/[0-9a-f]{16}/$' | tail -n +3 | xargs -r rm -rf
say "built in $((SECONDS - started)) s: $("$bin/pulumi" version)"
echo "$bin"
