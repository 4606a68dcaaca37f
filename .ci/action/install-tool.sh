#!/usr/bin/env bash
# Step 1 of the GitHub Action (action.yml): installs wsconf as a .NET tool into WSCONF_TOOL_PATH.
# From WSCONF_PACKAGE_SOURCE (a folder or feed holding wsconf.<version>.nupkg) when set, otherwise
# packed from the action's own checkout. The tests run this same script.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tool_path="${WSCONF_TOOL_PATH:?WSCONF_TOOL_PATH: where to install the tool}"
source="${WSCONF_PACKAGE_SOURCE:-}"
version="${WSCONF_VERSION:-}"
if [[ -z "$source" ]]; then
  source="$(mktemp -d)"
  dotnet pack "$here/Harness/Harness.csproj" -c Release -o "$source" -nologo -v quiet -clp:ErrorsOnly
  package="$(cd "$source" && ls wsconf.*.nupkg)"
  version="${package#wsconf.}"
  version="${version%.nupkg}"
fi
# Always an exact version: a feed searched for "wsconf" alone could offer another package of that name.
if [[ -z "$version" ]]; then
  echo "error: WSCONF_VERSION is required with WSCONF_PACKAGE_SOURCE" >&2
  exit 2
fi
dotnet tool install wsconf --tool-path "$tool_path" --add-source "$source" --version "$version" >/dev/null
"$tool_path/wsconf" --version
if [[ -n "${GITHUB_PATH:-}" ]]; then
  echo "$tool_path" >> "$GITHUB_PATH"
fi
