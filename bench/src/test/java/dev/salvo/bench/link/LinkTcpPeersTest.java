/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.link;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The parsing behind the kernel-TCP reference rows: {@code ss -tinH} records as iproute2 prints them (a line
 * captured from a run through the router's 100 ms queue), and the {@code TX} line they become, read back by
 * {@link LinkSamples} as a Salvo sender's line is.
 */
class LinkTcpPeersTest
{
    static final String ADDRESS_LINE = "0      1965584      10.202.0.1:43818      10.202.0.6:7420";
    static final String RECORD = "cubic wscale:11,11 rto:276 rtt:73.774/0.327 mss:1448 pmtu:1500 rcvmss:536 " +
        "advmss:1448 cwnd:425 ssthresh:422 bytes_sent:50363188 bytes_retrans:49232 bytes_acked:49698557 " +
        "segs_out:34786 segs_in:19161 data_segs_out:34784 send 66733538bps lastrcv:6004 pacing_rate 80079424bps " +
        "delivery_rate 66057752bps delivered:34326 busy:5968ms unacked:425 retrans:0/34 rcv_space:14480 " +
        "rcv_ssthresh:64088 notsent:1963488 minrtt:0.012 snd_wnd:5490688";

    @Test
    void readsTheFieldsOfAnSsRecord()
    {
        assertEquals(43818, LinkTcpPeers.Sender.localPort(ADDRESS_LINE));
        assertEquals(425, LinkTcpPeers.Sender.number(RECORD, "cwnd:", -1));
        assertEquals(1448, LinkTcpPeers.Sender.number(RECORD, "mss:", -1));
        assertEquals(34784, LinkTcpPeers.Sender.number(RECORD, "data_segs_out:", -1));
        assertEquals(50363188, LinkTcpPeers.Sender.number(RECORD, "bytes_sent:", -1));
        assertEquals(34, LinkTcpPeers.Sender.retransmittedTotal(RECORD));
        assertEquals(73774, LinkTcpPeers.Sender.rttUs(RECORD));
    }

    @Test
    void keyPrefixesOfOtherKeysAndAbsentKeysAreNotConfused()
    {
        // "ssthresh:" must not match "rcv_ssthresh:", "segs_out:" not "data_segs_out:", "rtt:" not "minrtt:".
        assertEquals(422, LinkTcpPeers.Sender.number(RECORD, "ssthresh:", -1));
        assertEquals(34786, LinkTcpPeers.Sender.number(RECORD, "segs_out:", -1));
        assertEquals(-1, LinkTcpPeers.Sender.number(RECORD, "lost:", -1));
        assertEquals(0, LinkTcpPeers.Sender.retransmittedTotal("cubic cwnd:10"));
        assertEquals(0, LinkTcpPeers.Sender.rttUs("cubic cwnd:10 minrtt:0.012"));
        assertEquals(10, LinkTcpPeers.Sender.number("cwnd:10 mss:1448", "cwnd:", -1));
    }

    @Test
    void tcpSampleLinesAreMeasuredAsSalvoLinesAre()
    {
        final LinkSamples samples = new LinkSamples();
        samples.addLines(List.of(
            "TX t=1000 flow=0 acked=0 packetsSent=100 packetsRetransmitted=1 packetsLost=0 cwnd=615400 srttUs=73774" +
                " bytesSent=150000 linkTxBytes=0",
            "TX t=2000 flow=0 acked=0 packetsSent=300 packetsRetransmitted=3 packetsLost=0 cwnd=615400 srttUs=73774" +
                " bytesSent=450000 linkTxBytes=12500000",
            "RX t=1000 flow=0 bytes=0 messages=0 packetBytes=0",
            "RX t=2000 flow=0 bytes=6250000 messages=381 packetBytes=6250000",
            "RX t=1000 flow=1 bytes=0 messages=0 packetBytes=0",
            "RX t=2000 flow=1 bytes=6250000 messages=381 packetBytes=6250000"));
        assertEquals(50e6, samples.receivedBps(0, 1000, 2000), 1);
        assertEquals(100e6, samples.linkBps(0, 1000, 2000), 1);
        assertEquals(0.01, samples.retransmittedFraction(0, 1000, 2000), 1e-9);
        assertEquals(0.073774, samples.meanSrttSeconds(0, 1000, 2000), 1e-9);
        assertEquals(1.0, LinkSamples.jain(samples.receivedBps(0, 1000, 2000), samples.receivedBps(1, 1000, 2000)), 1e-12);
    }
}
