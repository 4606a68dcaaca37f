using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Conformance.Harness.Transport;

/// <summary>send(2) with MSG_DONTWAIT on a socket that stays blocking for its other users (Linux only).</summary>
internal static partial class LinuxSend
{
    private const int MsgDontWait = 0x40; // <bits/socket.h>
    private const int MsgNoSignal = 0x4000;
    private const int EAgain = 11;
    private const int EIntr = 4;

    /// <summary>The octets the kernel took at once: 0 when the socket has no room. Throws <see cref="IOException"/> on a failed connection.</summary>
    public static unsafe int Now(SafeSocketHandle socket, ReadOnlySpan<byte> octets)
    {
        bool added = false;
        try
        {
            socket.DangerousAddRef(ref added); // the descriptor cannot be closed (and reused) under the call
            fixed (byte* start = octets)
            {
                while (true)
                {
                    nint result = Send(socket.DangerousGetHandle(), start, (nuint)octets.Length, MsgDontWait | MsgNoSignal);
                    if (result >= 0)
                    {
                        return (int)result;
                    }

                    int error = Marshal.GetLastPInvokeError();
                    if (error == EAgain)
                    {
                        return 0;
                    }

                    if (error != EIntr)
                    {
                        throw new IOException($"send failed: {new SocketException(SocketErrorFrom(error)).Message}");
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }

    private static int SocketErrorFrom(int errno) => errno switch
    {
        32 => (int)SocketError.Shutdown, // EPIPE
        104 => (int)SocketError.ConnectionReset, // ECONNRESET
        _ => (int)SocketError.SocketError,
    };

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static unsafe partial nint Send(nint socket, byte* buffer, nuint length, int flags);
}
