return await Conformance.Harness.Cli.App.RunAsync(args).ConfigureAwait(false);
