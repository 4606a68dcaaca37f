namespace Conformance.Harness.Running;

/// <summary>
/// Renders one report at a time however many ask at once (client testing's <c>/updateReports</c>): a request waits
/// for a render that started after it was made, and a render covers every request made before it began, so any
/// number of concurrent requests cost at most two renders and the memory of one.
/// </summary>
internal sealed class CoalescingRender(Action render) : IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private long _requested;
    private long _rendered;

    /// <summary>Renders this many times so far (for tests and logs).</summary>
    public int Renders { get; private set; }

    public async Task RequestAsync()
    {
        long mine = Interlocked.Increment(ref _requested);
        await _one.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Interlocked.Read(ref _rendered) >= mine)
            {
                return; // a render that began after this request was made has just finished
            }

            long upTo = Interlocked.Read(ref _requested);
            render();
            Renders++;
            Interlocked.Exchange(ref _rendered, upTo);
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose() => _one.Dispose();
}
