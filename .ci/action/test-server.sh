#!/usr/bin/env bash
# Step 2 of the GitHub Action (action.yml): runs `wsconf test-server` with the action's inputs, writes
# JUnit and the Markdown summary into the results folder, appends the summary to the job summary and
# records wsconf's exit code as the step output exit-code (the action exits with it after uploading
# the results). The tests run this same script.
set -uo pipefail
wsconf="${WSCONF_TOOL_PATH:?WSCONF_TOOL_PATH: where the tool is installed}/wsconf"
results="${WSCONF_RESULTS:-wsconf-results}"
args=(test-server "${WSCONF_URL:?WSCONF_URL: the server to test}" --out "$results"
      --junit "$results/junit.xml" --summary-md "$results/summary.md")
[[ -n "${WSCONF_CASES:-}" ]] && args+=(--cases "$WSCONF_CASES")
[[ -n "${WSCONF_EXCLUDE:-}" ]] && args+=(--exclude "$WSCONF_EXCLUDE")
[[ "${WSCONF_STRICT:-false}" == "true" ]] && args+=(--strict)
[[ -n "${WSCONF_BASELINE:-}" ]] && args+=(--baseline "$WSCONF_BASELINE")
[[ -n "${WSCONF_PARALLEL:-}" ]] && args+=(--parallel "$WSCONF_PARALLEL")

"$wsconf" "${args[@]}"
code=$?
if [[ -n "${GITHUB_STEP_SUMMARY:-}" && -f "$results/summary.md" ]]; then
  cat "$results/summary.md" >> "$GITHUB_STEP_SUMMARY"
fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  echo "exit-code=$code" >> "$GITHUB_OUTPUT"
fi
exit 0
