#!/usr/bin/env bash
# wsconf — WebSocket conformance harness. One entry point; builds what it needs on first use.
#   ./run.sh                       whole catalogue against the embedded Kestrel echo server
#   ./run.sh test-server URL ...   test a server          ./run.sh list [--cases ...]
#   ./run.sh test-client [...]     test a client (default: .NET's ClientWebSocket; --exec CMD, --port N)
#   ./run.sh serve-echo --port N   the embedded echo server on its own
#   ./run.sh report DIR...        HTML, JUnit and Markdown again from a results folder (also Autobahn's); several: merged
#   ./run.sh compare OLD NEW      regressions and fixes between two results folders
#   ./run.sh test                  the test suite (dotnet test Conformance.sln)
#   ./run.sh bench                 speed and memory figures against the npm 'ws' server (needs node)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$root/.tools/wsconf"
dll="$out/wsconf.dll"

need_dotnet() {
  command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH" >&2; exit 2; }
}

build() {
  need_dotnet
  local stale=""
  if [[ ! -f "$dll" ]]; then
    stale=yes
  elif [[ -n "$(find "$root/Harness" "$root/Cases" "$root/Reports" "$root/Directory.Build.props" \
            \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.sbn-html' -o -name '*.js' -o -name '*.html' \) \
            -newer "$dll" -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]]; then
    stale=yes
  fi
  if [[ -n "$stale" ]]; then
    echo "Building wsconf (Release)…" >&2
    local log
    if ! log="$(dotnet build "$root/Harness/Harness.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly -o "$out" 2>&1)"; then
      echo "$log" >&2
      echo "error: the build failed" >&2
      exit 2
    fi
    touch "$dll"
  fi
}

case "${1:-}" in
  test)
    shift
    need_dotnet
    exec dotnet test "$root/Conformance.sln" "$@"
    ;;
  *)
    build
    exec dotnet "$dll" "$@"
    ;;
esac
