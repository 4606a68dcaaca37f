using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Conformance.Harness.Fuzzing;
using Conformance.Harness.Running;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Cli;

/// <summary>
/// <c>fuzz [URL]</c>: a campaign of generated cases against a server (default: the embedded Kestrel
/// echo server), each judged like a catalogue case; findings are shrunk and written as replayable files.
/// <c>fuzz --client</c> tests a client instead (<see cref="FuzzClientOptions"/>).
/// </summary>
internal static class FuzzCommand
{
    public const int DefaultCount = 1000;

    public static Command Create()
    {
        var url = new Argument<string?>("url") { Description = "ws:// URL of the echo endpoint to fuzz (default: the embedded Kestrel echo server)", Arity = ArgumentArity.ZeroOrOne };
        var seed = new Option<string?>("--seed") { Description = "Seed of the campaign (default: a random one, printed and recorded)" };
        var count = new Option<long?>("--count", "-n") { Description = $"Cases in the campaign, all shards together (default {DefaultCount} unless --duration is given)" };
        var duration = new Option<string?>("--duration") { Description = "Run for this long instead of a count (e.g. 60s, 5m, 1h)" };
        var deflate = new Option<bool>("--deflate") { Description = "Offer permessage-deflate (RFC 7692) in every case and mix in compressed messages (generator v2)" };
        var outDir = new Option<string>("--out", "-o") { Description = "Results folder", DefaultValueFactory = _ => "reports/fuzz" };
        var agent = new Option<string?>("--agent") { Description = "Name of the server in reports (default: host:port)" };
        var shard = new Option<string?>("--shard") { Description = "K/N: run the K-th of N deterministic parts of the campaign (a CI job matrix)" };
        var client = new FuzzClientOptions();
        var shrinkRuns = new Option<int>("--shrink-runs") { Description = "Reruns the shrinker may spend on one finding", DefaultValueFactory = _ => 150 };
        var common = new CommonOptions(defaultParallel: CampaignOptions.ServerDefaultParallel);
        var command = new Command("fuzz", "Fuzz a WebSocket server (or a client, with --client) with generated cases judged by an RFC 6455 oracle; failures are shrunk and written as replayable findings") { url, seed, count, duration, deflate, outDir, agent, shard, shrinkRuns };
        common.AddTo(command);
        client.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var (k, n) = ParseShard(parse.GetValue(shard));
            string? durationText = parse.GetValue(duration);
            var options = new CampaignOptions
            {
                Seed = ParseSeed(parse.GetValue(seed)),
                Duration = durationText is null ? null : ParseDuration(durationText),
                Count = parse.GetValue(count) is { } c ? (c >= 1 ? c : throw new UsageException("--count must be at least 1")) : durationText is null ? DefaultCount : null,
                Parallel = parse.GetValue(client.Client) && !common.ParallelGiven(parse) ? CampaignOptions.ClientDefaultParallel : common.ParallelFrom(parse),
                Timers = common.TimersFrom(parse),
                ShardK = k,
                ShardN = n,
                MaxShrinkRuns = Math.Max(0, parse.GetValue(shrinkRuns)),
                Deflate = parse.GetValue(deflate),
            };
            bool verbose = parse.GetValue(common.Verbose);
            string folder = parse.GetValue(outDir) ?? "reports/fuzz";
            if (parse.GetValue(client.Client))
            {
                if (options.Deflate)
                {
                    // The generated deflate cases make their octets from what a server agreed to; played as the server, they are not checked yet.
                    throw new UsageException("fuzz --client --deflate is not supported yet: fuzz a client without --deflate, or a server with it");
                }

                return await client.ExecuteAsync(parse, options, parse.GetValue(url) is not null, parse.GetValue(agent), folder, verbose, cancel).ConfigureAwait(false);
            }

            client.CheckServerRole(parse);
            if (parse.GetValue(url) is { } given)
            {
                var target = RunPlan.ParseTargetUrl(given);
                var server = new ServerTarget(parse.GetValue(agent) ?? target.Authority, target);
                return await FuzzRun.ExecuteAsync(options, server, embedded: false, folder, CommonOptions.CommandLineOf(parse), verbose, cancel).ConfigureAwait(false);
            }

            await using var kestrel = await KestrelEchoServer.StartAsync(cancel: cancel).ConfigureAwait(false);
            var embedded = new ServerTarget(parse.GetValue(agent) ?? KestrelEchoServer.Agent, options.Deflate ? kestrel.DeflateUrl : kestrel.Url);
            return await FuzzRun.ExecuteAsync(options, embedded, embedded: true, folder, CommonOptions.CommandLineOf(parse), verbose, cancel).ConfigureAwait(false);
        });
        return command;
    }

    public static ulong ParseSeed(string? text) =>
        text is null ? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) % 1_000_000_000_000UL
        : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed) ? seed
        : throw new UsageException($"--seed must be a non-negative integer, not '{text}'");

    public static (int K, int N) ParseShard(string? text)
    {
        if (text is null)
        {
            return (1, 1);
        }

        var parts = text.Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out int k) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int n) && n >= 1 && k >= 1 && k <= n
            ? (k, n)
            : throw new UsageException($"--shard must be K/N with 1 <= K <= N, not '{text}'");
    }

    public static TimeSpan ParseDuration(string text)
    {
        char unit = text.Length > 0 ? text[^1] : ' ';
        double factor = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        return factor > 0 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0
            ? TimeSpan.FromSeconds(value * factor)
            : throw new UsageException($"--duration must be a number followed by s, m or h (e.g. 60s), not '{text}'");
    }
}
