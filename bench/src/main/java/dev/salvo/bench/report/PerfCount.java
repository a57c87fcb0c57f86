package dev.salvo.bench.report;

/**
 * Syscalls counted by {@code perf stat} tracepoints over one single-run, no-warmup invocation of
 * a driver, with the datagram counts that run reported.
 *
 * @param key         the cell.
 * @param txDatagrams datagrams sent in the run.
 * @param rxDatagrams datagrams received in the run.
 * @param sendCalls   sendmmsg + sendmsg + sendto calls.
 * @param receiveCalls recvmmsg + recvmsg + recvfrom calls.
 */
public record PerfCount(CellKey key, long txDatagrams, long rxDatagrams, long sendCalls, long receiveCalls)
{
    /**
     * Builds a count from a {@code PERF} line.
     *
     * @param line a PERF line carrying impl, mode, size, batch, tx/rx datagrams and the per-syscall counts.
     * @return the count.
     */
    public static PerfCount from(final BenchLine line)
    {
        final long sends = line.getLong("sendmmsg", 0) + line.getLong("sendmsg", 0) + line.getLong("sendto", 0);
        final long receives = line.getLong("recvmmsg", 0) + line.getLong("recvmsg", 0) + line.getLong("recvfrom", 0);
        return new PerfCount(line.cellKey(), line.getLong("tx_datagrams"), line.getLong("rx_datagrams"), sends, receives);
    }

    /**
     * @return send calls per datagram sent, NaN when nothing was sent.
     */
    public double sendCallsPerDatagram()
    {
        return txDatagrams > 0 ? (double)sendCalls / txDatagrams : Double.NaN;
    }

    /**
     * @return receive calls per datagram received, NaN when nothing was received.
     */
    public double receiveCallsPerDatagram()
    {
        return rxDatagrams > 0 ? (double)receiveCalls / rxDatagrams : Double.NaN;
    }
}
