using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Conformance.Harness.Transport;

/// <summary>
/// send(2) with MSG_DONTWAIT on a blocking socket (Linux): it takes what fits in the send buffer now and never
/// waits, so a thread that must not block (the reader answering a round trip) writes without a poll(2) first.
/// .NET's <see cref="SocketFlags"/> has no such flag, and switching the socket to non-blocking mode costs a
/// system call each way.
/// </summary>
internal static partial class NonBlockingSend
{
    private const int MsgDontWait = 0x40; // <bits/socket.h>
    private const int MsgNoSignal = 0x4000; // a peer that has gone must not raise SIGPIPE
    private const int EIntr = 4; // <asm-generic/errno-base.h>
    private const int EAgain = 11; // also EWOULDBLOCK

    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Writes what the socket takes at once; returns the octets written (0: its send buffer is full).</summary>
    /// <exception cref="IOException">The connection failed.</exception>
    public static int Send(SafeSocketHandle socket, ReadOnlySpan<byte> octets)
    {
        while (true)
        {
            nint sent = SendNative(socket, octets, (nuint)octets.Length, MsgDontWait | MsgNoSignal);
            if (sent >= 0)
            {
                return (int)sent;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == EAgain)
            {
                return 0;
            }

            if (errno != EIntr)
            {
                throw new IOException($"send failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint SendNative(SafeSocketHandle socket, ReadOnlySpan<byte> buffer, nuint length, int flags);
}
