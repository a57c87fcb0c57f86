package dev.salvo.bench.report;

/**
 * The aggregate of one cell's measured runs: medians of the per-run figures.
 *
 * @param key                     the cell.
 * @param status                  whether the cell was measured, skipped or failed.
 * @param reason                  why it was skipped or failed, or a note; empty when none.
 * @param runs                    number of measured runs.
 * @param medianBytesPerSecond    median of per-run payload bytes received per second.
 * @param medianLossPercent       median of per-run {@code lost / tx_datagrams * 100}.
 * @param txSyscallsPerDatagram   median of per-run send calls per datagram sent.
 * @param rxSyscallsPerDatagram   median of per-run receive calls per datagram received.
 */
public record CellSummary(
    CellKey key,
    Status status,
    String reason,
    int runs,
    double medianBytesPerSecond,
    double medianLossPercent,
    double txSyscallsPerDatagram,
    double rxSyscallsPerDatagram)
{
    /** Bytes in a mebibyte. */
    public static final double MIB = 1024.0 * 1024.0;

    /**
     * Outcome of a cell.
     */
    public enum Status
    {
        /** At least one run measured. */
        OK,
        /** The driver said the mode is unavailable here. */
        SKIP,
        /** The driver failed or timed out without a measured run. */
        FAIL
    }

    /**
     * @return median throughput in MiB/s.
     */
    public double medianMibPerSecond()
    {
        return medianBytesPerSecond / MIB;
    }

    /**
     * @return true when the cell has a throughput figure.
     */
    public boolean measured()
    {
        return status == Status.OK && runs > 0;
    }
}
