#!/usr/bin/env bash
# One entry point for building, trying and testing AwsDevCmdlets. Needs the .NET SDK (see global.json);
# installs anything else the chosen command needs.
#
#   ./build.sh quickstart   build the module and run examples/quickstart.ps1 against local endpoints
#   ./build.sh test         build and run every test; ends with one line "N passed, N failed"
#   ./build.sh build        build the module into ./bin (Import-Module ./AwsDevCmdlets.psd1)
#   ./build.sh publish      assemble out/AwsDevCmdlets/<version>/, a self-contained module folder
#   ./build.sh help         regenerate the MAML help from module/help/*.md
#   ./build.sh bench        measure the module's import time
#   ./build.sh bench-s3     Copy-DevS3Item against aws s3 cp on the local S3 endpoint
#   ./build.sh bench-policy Test-DevPolicy decisions per second
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
configuration=Release
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

version() { sed -n "s/^ *ModuleVersion *= *'\([^']*\)'.*/\1/p" AwsDevCmdlets.psd1; }

# s3rver, the local S3 endpoint of the tests, quick start and benchmarks, from the npm registry.
ensure_s3rver() {
  if [ ! -f tests/s3rver/node_modules/s3rver/bin/s3rver.js ]; then
    command -v npm >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; }
    npm ci --prefix tests/s3rver --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

build() {
  ensure_s3rver
  dotnet build AwsDevCmdlets.sln -c "$configuration" -nologo -v:quiet -clp:"NoSummary;ErrorsOnly"
}

host_dll() { echo "$root/src/AwsDevCmdlets.Host/bin/$configuration/net10.0/AwsDevCmdlets.Host.dll"; }

# Runs a script in pwsh where it is installed, otherwise in the small host this repo builds from
# the System.Management.Automation package.
run_script() {
  if command -v pwsh >/dev/null 2>&1; then
    pwsh -NoProfile -NonInteractive -File "$@"
  else
    echo "(pwsh not found: running in AwsDevCmdlets.Host, a PowerShell $(sed -n 's/.*System.Management.Automation" Version="\([^"]*\)".*/\1/p' src/AwsDevCmdlets.Host/AwsDevCmdlets.Host.csproj) engine)"
    dotnet "$(host_dll)" "$@"
  fi
}

quickstart() {
  build
  endpoints=$(mktemp)
  # The local stand-ins for STS, the instance metadata service and S3, on 127.0.0.1, stopped on exit.
  dotnet "tests/AwsDevCmdlets.TestServers/bin/$configuration/net10.0/AwsDevCmdlets.TestServers.dll" >"$endpoints" 2>&1 </dev/null &
  servers=$!
  trap 'kill $servers 2>/dev/null || true; wait $servers 2>/dev/null || true; rm -f "$endpoints"' EXIT
  for _ in $(seq 1 300); do grep -q '^ready' "$endpoints" && break; sleep 0.1; done
  run_script examples/quickstart.ps1 \
    -StsEndpoint "$(awk '/^sts /{print $2}' "$endpoints")" \
    -ImdsEndpoint "$(awk '/^imds /{print $2}' "$endpoints")" \
    -S3Endpoint "$(awk '/^s3 /{print $2}' "$endpoints")"
}

test_all() {
  local results="$root/TestResults" status=0
  rm -rf "$results"
  # The tests import both the module at the repository root and the published folder.
  publish >/dev/null || { echo "0 passed, 1 failed"; return 1; }
  dotnet test AwsDevCmdlets.sln -c "$configuration" --no-build --nologo -v:quiet \
    --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?
  pester "$results" || status=$?
  summarize "$results"
  return $status
}

# Pester files are for users with pwsh; run them where pwsh and Pester exist, and say so where not.
pester() {
  if ! command -v pwsh >/dev/null 2>&1; then
    echo "Pester: skipped, pwsh is not installed here (tests/pester/*.Tests.ps1 run where pwsh and Pester 5 are)."
    return 0
  fi
  if ! pwsh -NoProfile -Command 'if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge 5.0)) { exit 1 }'; then
    echo "Pester: skipped, Pester 5 is not installed (Install-Module Pester -MinimumVersion 5.0)."
    return 0
  fi
  pwsh -NoProfile -NonInteractive -Command "
    \$c = New-PesterConfiguration; \$c.Run.Path = 'tests/pester'; \$c.Run.Exit = \$true
    \$c.TestResult.Enabled = \$true; \$c.TestResult.OutputFormat = 'NUnitXml'; \$c.TestResult.OutputPath = '$1/pester.xml'
    Invoke-Pester -Configuration \$c"
}

summarize() {
  local passed=0 failed=0 p f file
  for file in "$1"/*.trx; do
    [ -e "$file" ] || continue
    p=$(grep -o '<Counters [^>]*' "$file" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
    f=$(grep -o '<Counters [^>]*' "$file" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  done
  if [ -f "$1/pester.xml" ]; then
    p=$(sed -n 's/.*<test-results [^>]*total="\([0-9]*\)".*/\1/p' "$1/pester.xml" | head -1)
    f=$(sed -n 's/.*<test-results [^>]*failures="\([0-9]*\)".*/\1/p' "$1/pester.xml" | head -1)
    passed=$((passed + ${p:-0} - ${f:-0})); failed=$((failed + ${f:-0}))
  fi
  echo "$passed passed, $failed failed"
}

publish() {
  # Explicit: set -e does not apply inside a function called from an || list.
  build || return 1
  local target="out/AwsDevCmdlets/$(version)"
  rm -rf "$target"
  mkdir -p "$target"
  # The same relative layout as the repository root, so the one manifest serves both.
  cp AwsDevCmdlets.psd1 README.md "$target/" &&
    cp -r bin module en-US "$target/" &&
    rm -f "$target"/bin/*.pdb "$target"/bin/deps/*.pdb &&
    rm -rf "$target/module/help" || return 1
  echo "Published $target"
}

help_files() {
  build || return 1
  dotnet "$(host_dll)" --write-help module/help module/en-US/AwsDevCmdlets.dll-Help.xml "$root/AwsDevCmdlets.psd1" || return 1
  build
}

case "${1:-quickstart}" in
  quickstart) quickstart ;;
  test) test_all ;;
  build) build ;;
  publish) publish ;;
  help) help_files ;;
  bench) build; run_script tests/benchmarks/Measure-ImportTime.ps1 ;;
  bench-s3) build; tests/benchmarks/s3-copy.sh ;;
  bench-policy) build; dotnet "tests/benchmarks/PolicyBenchmark/bin/$configuration/net10.0/PolicyBenchmark.dll" ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
