package dev.salvo.bench.report;

import java.util.Comparator;
import java.util.List;

/**
 * One cell of the matrix: implementation, I/O mode, payload size and datagrams per call.
 *
 * @param impl  {@code java} or {@code c}.
 * @param mode  {@code nio}, {@code mmsg} or {@code gso}.
 * @param size  payload bytes per datagram.
 * @param batch datagrams per send call.
 */
public record CellKey(String impl, String mode, int size, int batch) implements Comparable<CellKey>
{
    /** Implementations in report order. */
    public static final List<String> IMPLS = List.of("java", "c");
    /** Modes in report order. */
    public static final List<String> MODES = List.of("nio", "mmsg", "gso");

    private static final Comparator<CellKey> ORDER = Comparator
        .comparingInt(CellKey::size)
        .thenComparingInt(CellKey::batch)
        .thenComparingInt(key -> rank(MODES, key.mode()))
        .thenComparing(CellKey::mode)
        .thenComparingInt(key -> rank(IMPLS, key.impl()))
        .thenComparing(CellKey::impl);

    /**
     * @param impl another implementation.
     * @return the same cell for that implementation.
     */
    public CellKey withImpl(final String impl)
    {
        return new CellKey(impl, mode, size, batch);
    }

    /**
     * {@inheritDoc}
     */
    public int compareTo(final CellKey other)
    {
        return ORDER.compare(this, other);
    }

    private static int rank(final List<String> order, final String value)
    {
        final int index = order.indexOf(value);
        return index < 0 ? order.size() : index;
    }
}
