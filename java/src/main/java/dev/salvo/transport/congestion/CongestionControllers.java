/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

import dev.salvo.CongestionControlAlgorithm;

/**
 * Makes a {@link CongestionControl} for a {@link CongestionControlAlgorithm}.
 */
public final class CongestionControllers
{
    private CongestionControllers()
    {
    }

    /**
     * @param algorithm       which controller.
     * @param maxDatagramSize the path's datagram size at the start (path MTU discovery's base size, not the
     *                        transport's maximum): the initial and minimum windows derive from it; the core
     *                        reports later changes through {@link CongestionControl#onDatagramSizeChanged}.
     * @return a new controller.
     */
    public static CongestionControl newController(final CongestionControlAlgorithm algorithm, final int maxDatagramSize)
    {
        switch (algorithm)
        {
            case NEWRENO:
                return new NewRenoCongestionControl(maxDatagramSize);
            case BACKGROUND:
                return new BackgroundCongestionControl(maxDatagramSize);
            case CUBIC:
            default:
                return new CubicCongestionControl(maxDatagramSize);
        }
    }
}
