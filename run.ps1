# wsconf — WebSocket conformance harness (Windows entry point; same subcommands as run.sh).
#   ./run.ps1                      whole catalogue against the embedded Kestrel echo server
#   ./run.ps1 test-server URL ...  test a server        ./run.ps1 list [--cases ...]
#   ./run.ps1 test-client [...]    test a client (default: .NET's ClientWebSocket; --exec CMD, --port N)
#   ./run.ps1 serve-echo --port N  the embedded echo server on its own
#   ./run.ps1 report DIR...        HTML, JUnit and Markdown again from a results folder (also Autobahn's); several: merged
#   ./run.ps1 compare OLD NEW      regressions and fixes between two results folders
#   ./run.ps1 test                 the test suite (dotnet test Conformance.sln)
#   ./run.ps1 bench                speed and memory figures against the npm 'ws' server (needs node)
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$out = Join-Path $root '.tools/wsconf'
$dll = Join-Path $out 'wsconf.dll'

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    [Console]::Error.WriteLine("error: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH")
    exit 2
}

function Build-Harness {
    $stale = -not (Test-Path $dll)
    if (-not $stale) {
        $built = (Get-Item $dll).LastWriteTimeUtc
        $sources = @((Join-Path $root 'Harness'), (Join-Path $root 'Cases'), (Join-Path $root 'Reports'))
        $stale = (Get-Item (Join-Path $root 'Directory.Build.props')).LastWriteTimeUtc -gt $built -or
            [bool](Get-ChildItem -Recurse -File -Path $sources -Include *.cs, *.csproj, *.props, *.sbn-html, *.js, *.html |
                Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' -and $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1)
    }
    if ($stale) {
        [Console]::Error.WriteLine('Building wsconf (Release)...')
        # As run.sh: the build's own output only when it fails, and on stderr, so stdout stays the run's.
        $log = dotnet build (Join-Path $root 'Harness/Harness.csproj') -c Release -nologo -v quiet -clp:ErrorsOnly -o $out 2>&1
        if ($LASTEXITCODE -ne 0) {
            $log | ForEach-Object { [Console]::Error.WriteLine("$_") }
            [Console]::Error.WriteLine('error: the build failed')
            exit 2
        }
        (Get-Item $dll).LastWriteTimeUtc = [DateTime]::UtcNow
    }
}

$command = if ($args.Count -gt 0) { $args[0] } else { '' }
switch ($command) {
    'test' {
        $rest = if ($args.Count -gt 1) { $args[1..($args.Count - 1)] } else { @() }
        dotnet test (Join-Path $root 'Conformance.sln') @rest
        exit $LASTEXITCODE
    }
    default {
        Build-Harness
        dotnet $dll @args
        exit $LASTEXITCODE
    }
}
