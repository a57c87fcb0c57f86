/*
 * udp_ceiling: the plain C ceiling for Salvo's batch-size benchmark (scripts/run_benchmarks.sh).
 *
 * It does what the Java driver dev.salvo.bench.io.DatagramThroughput does, with the same flags and
 * the same RESULT line, but straight on the syscalls, so every Java cell has a C figure beside it:
 *
 *   udp_ceiling --mode nio|mmsg|gso --size BYTES --batch N --seconds S --warmup S --runs R [--ipv6]
 *               [--rx-coalesce-us US]
 *
 * One process, two threads on loopback: a sender thread blasts datagrams at an unconnected
 * receiver socket for S seconds (destination address on every datagram, as a socket serving many
 * peers does), and a receiver thread counts what arrives (source address taken on every
 * datagram). After the sender stops, the receiver drains until nothing has arrived for
 * DRAIN_QUIET_NS or everything sent has arrived. Then:
 *
 *   seconds     = from the sender's start to the last datagram received (the receive window)
 *   rx_bytes    = payload bytes received (throughput = rx_bytes / seconds, at the receiver)
 *   lost        = tx_datagrams - rx_datagrams (dropped by the kernel, mostly a full receive buffer)
 *   *_syscalls  = send / receive calls made, including ones that returned nothing (and the
 *                 receive coalescing sleeps)
 *
 * Modes:
 *   nio   one sendto() per datagram, one recvfrom() per datagram (the C twin of NIO per-packet I/O)
 *   mmsg  sendmmsg() with N datagrams per call, recvmmsg() with N slots per call
 *   gso   sendmmsg() of N datagrams per call packed into UDP_SEGMENT (GSO) entries of at most 64
 *         segments and at most 65,507 bytes (65,527 on IPv6) each, into a UDP_GRO receiver whose
 *         recvmmsg() slots hold a whole 64 KiB train and have their own control buffer; the
 *         segment size comes from the UDP_GRO control message (an int).
 *
 * Receive coalescing (--rx-coalesce-us, mmsg and gso only; default 0 = off, the plain receiver
 * above): while the receiver keeps up (its previous recvmmsg got at least one datagram but did not
 * fill the slots), it first sleeps US microseconds off the socket's wait queue, so a batch
 * accumulates and the sender's path has no waiter to wake. The same rule as Salvo's
 * EndpointConfig.receiveCoalescingNanos, so the Java driver's option of the same name is compared
 * like for like.
 *
 * Prints "SKIP impl=c mode=... reason=..." and exits 0 when a mode is unavailable here. Progress
 * and socket details go to stderr. Traffic goes only to 127.0.0.1 or ::1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#ifndef SOL_UDP
#define SOL_UDP 17
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

#define IMPL_NAME "c"
#define GSO_MAX_SEGMENTS 64
#define GSO_MAX_BYTES_V4 65507
#define GSO_MAX_BYTES_V6 65527
#define GRO_SLOT_BYTES 65536
#define NIO_RX_BUFFER_BYTES 65536
#define SOCKET_BUFFER_BYTES (16 * 1024 * 1024)
#define RX_TIMEOUT_US 10000
#define DRAIN_QUIET_NS 100000000LL
#define DRAIN_MAX_NS 2000000000LL
#define MAX_BATCH 4096
#define MAX_SECONDS 600.0

enum mode
{
    MODE_NIO,
    MODE_MMSG,
    MODE_GSO
};

static const char *const MODE_NAMES[] = { "nio", "mmsg", "gso" };

struct config
{
    enum mode mode;
    int size;
    int batch;
    double seconds;
    double warmup;
    int runs;
    int ipv6;
    int rx_coalesce_us;
};

/* One measured phase: written by the two threads, read by main after joining them. */
struct phase
{
    const struct config *config;
    int tx_fd;
    int rx_fd;
    struct sockaddr_storage destination;
    socklen_t destination_len;

    atomic_int tx_stop;
    atomic_int rx_stop;
    int64_t start_ns;

    /* sender results */
    uint64_t tx_datagrams;
    uint64_t tx_syscalls;
    uint64_t tx_dropped_calls;  /* ENOBUFS/EAGAIN: the kernel refused the call, nothing sent */
    int tx_error;               /* errno of a fatal send error, 0 if none */
    int tx_gso_rejected;        /* the first GSO send failed with EIO/EINVAL */

    /* receiver results; rx_datagrams and last_rx_ns are also read by main while draining */
    _Atomic uint64_t rx_datagrams_published;
    _Atomic int64_t last_rx_ns;
    uint64_t rx_datagrams;
    uint64_t rx_bytes;
    uint64_t rx_syscalls;
    uint64_t rx_truncated;
    int rx_error;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ns(const int64_t ns)
{
    struct timespec ts = { .tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    {
    }
}

static void die(const char *what, const int err)
{
    fprintf(stderr, "udp_ceiling: %s: %s\n", what, strerror(err));
    exit(2);
}

static void *checked_calloc(const size_t count, const size_t size)
{
    void *p = calloc(count, size);
    if (p == NULL)
    {
        die("calloc", ENOMEM);
    }
    return p;
}

static void usage(FILE *out)
{
    fprintf(out,
        "usage: udp_ceiling --mode nio|mmsg|gso --size BYTES --batch N --seconds S --warmup S --runs R [--ipv6]\n"
        "                   [--rx-coalesce-us US]\n"
        "  nio   one sendto/recvfrom per datagram (batch is ignored)\n"
        "  mmsg  sendmmsg/recvmmsg, N datagrams per call\n"
        "  gso   UDP_SEGMENT sender (N datagrams per sendmmsg, <=64 segments per entry) into a UDP_GRO receiver\n"
        "  --rx-coalesce-us US  mmsg/gso: while the receiver keeps up, sleep US before each recvmmsg (default 0)\n");
}

static int max_gso_bytes(const struct config *config)
{
    return config->ipv6 ? GSO_MAX_BYTES_V6 : GSO_MAX_BYTES_V4;
}

/* Datagrams packed into one GSO entry: at most 64 segments and at most 65,507 (65,527) bytes. */
static int segments_per_entry(const struct config *config)
{
    int segments = max_gso_bytes(config) / config->size;
    return segments > GSO_MAX_SEGMENTS ? GSO_MAX_SEGMENTS : segments;
}

static void set_buffer(const int fd, const int option, const char *name)
{
    const int requested = SOCKET_BUFFER_BYTES;
    if (setsockopt(fd, SOL_SOCKET, option, &requested, sizeof(requested)) != 0)
    {
        die(name, errno);
    }
    int granted = 0;
    socklen_t len = sizeof(granted);
    if (getsockopt(fd, SOL_SOCKET, option, &granted, &len) != 0)
    {
        die(name, errno);
    }
    fprintf(stderr, "udp_ceiling: %s requested %d, granted %d\n", name, requested, granted);
}

static void set_no_fragmentation(const int fd, const int ipv6)
{
    if (ipv6)
    {
        const int value = IPV6_PMTUDISC_DO;
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &value, sizeof(value)) != 0)
        {
            die("IPV6_MTU_DISCOVER", errno);
        }
    }
    else
    {
        const int value = IP_PMTUDISC_DO;
        if (setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &value, sizeof(value)) != 0)
        {
            die("IP_MTU_DISCOVER", errno);
        }
    }
}

static int open_socket(const struct config *config)
{
    const int fd = socket(config->ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
    if (fd < 0)
    {
        die("socket", errno);
    }
    set_no_fragmentation(fd, config->ipv6);
    return fd;
}

static void bind_loopback(const int fd, const int ipv6, struct sockaddr_storage *bound, socklen_t *bound_len)
{
    struct sockaddr_storage address;
    memset(&address, 0, sizeof(address));
    socklen_t len;
    if (ipv6)
    {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&address;
        a6->sin6_family = AF_INET6;
        a6->sin6_addr = in6addr_loopback;
        len = sizeof(*a6);
    }
    else
    {
        struct sockaddr_in *a4 = (struct sockaddr_in *)&address;
        a4->sin_family = AF_INET;
        a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof(*a4);
    }
    if (bind(fd, (struct sockaddr *)&address, len) != 0)
    {
        die(ipv6 ? "bind [::1]:0" : "bind 127.0.0.1:0", errno);
    }
    *bound_len = sizeof(*bound);
    if (getsockname(fd, (struct sockaddr *)bound, bound_len) != 0)
    {
        die("getsockname", errno);
    }
}

static void fill_payload(uint8_t *buffer, const size_t length)
{
    for (size_t i = 0; i < length; i++)
    {
        buffer[i] = (uint8_t)(i * 31u + 7u);
    }
}

/* Counts a failed send; returns 1 if the sender should stop. */
static int on_send_error(struct phase *phase, const int err)
{
    if (err == ENOBUFS || err == EAGAIN || err == EWOULDBLOCK || err == EINTR)
    {
        phase->tx_dropped_calls++;
        return 0;
    }
    if (phase->config->mode == MODE_GSO && phase->tx_datagrams == 0 && (err == EIO || err == EINVAL))
    {
        phase->tx_gso_rejected = 1;
        phase->tx_error = err;
        return 1;
    }
    phase->tx_error = err;
    return 1;
}

static void *send_nio(struct phase *phase)
{
    const struct config *config = phase->config;
    uint8_t *payload = checked_calloc(1, (size_t)config->size);
    fill_payload(payload, (size_t)config->size);
    const struct sockaddr *to = (const struct sockaddr *)&phase->destination;
    const socklen_t to_len = phase->destination_len;
    uint64_t datagrams = 0;
    uint64_t syscalls = 0;

    while (!atomic_load_explicit(&phase->tx_stop, memory_order_relaxed))
    {
        syscalls++;
        if (sendto(phase->tx_fd, payload, (size_t)config->size, 0, to, to_len) >= 0)
        {
            datagrams++;
        }
        else if (on_send_error(phase, errno))
        {
            break;
        }
    }
    phase->tx_datagrams = datagrams;
    phase->tx_syscalls = syscalls;
    free(payload);
    return NULL;
}

/* mmsg and gso: one sendmmsg() per batch of N datagrams; gso packs them into GSO entries. */
static void *send_batched(struct phase *phase)
{
    const struct config *config = phase->config;
    const int gso = config->mode == MODE_GSO;
    const int per_entry = gso ? segments_per_entry(config) : 1;
    const int entries = (config->batch + per_entry - 1) / per_entry;

    uint8_t *payload = checked_calloc((size_t)config->batch, (size_t)config->size);
    fill_payload(payload, (size_t)config->batch * (size_t)config->size);
    struct mmsghdr *messages = checked_calloc((size_t)entries, sizeof(*messages));
    struct iovec *iovecs = checked_calloc((size_t)entries, sizeof(*iovecs));
    const size_t control_space = CMSG_SPACE(sizeof(uint16_t));
    uint8_t *controls = checked_calloc((size_t)entries, control_space);
    int *segments_in_entry = checked_calloc((size_t)entries, sizeof(int));

    for (int e = 0; e < entries; e++)
    {
        const int first = e * per_entry;
        const int count = config->batch - first < per_entry ? config->batch - first : per_entry;
        segments_in_entry[e] = count;
        iovecs[e].iov_base = payload + (size_t)first * (size_t)config->size;
        iovecs[e].iov_len = (size_t)count * (size_t)config->size;
        struct msghdr *header = &messages[e].msg_hdr;
        header->msg_name = &phase->destination;
        header->msg_namelen = phase->destination_len;
        header->msg_iov = &iovecs[e];
        header->msg_iovlen = 1;
        if (gso)
        {
            uint8_t *control = controls + (size_t)e * control_space;
            header->msg_control = control;
            header->msg_controllen = control_space;
            struct cmsghdr *cmsg = CMSG_FIRSTHDR(header);
            cmsg->cmsg_level = SOL_UDP;
            cmsg->cmsg_type = UDP_SEGMENT;
            cmsg->cmsg_len = CMSG_LEN(sizeof(uint16_t));
            const uint16_t segment_size = (uint16_t)config->size;
            memcpy(CMSG_DATA(cmsg), &segment_size, sizeof(segment_size));
        }
    }

    uint64_t datagrams = 0;
    uint64_t syscalls = 0;
    while (!atomic_load_explicit(&phase->tx_stop, memory_order_relaxed))
    {
        syscalls++;
        const int sent = sendmmsg(phase->tx_fd, messages, (unsigned int)entries, 0);
        if (sent < 0)
        {
            if (on_send_error(phase, errno))
            {
                break;
            }
            continue;
        }
        if (sent == entries)
        {
            datagrams += (uint64_t)config->batch;
        }
        else
        {
            for (int e = 0; e < sent; e++)
            {
                datagrams += (uint64_t)segments_in_entry[e];
            }
        }
    }
    phase->tx_datagrams = datagrams;
    phase->tx_syscalls = syscalls;
    free(segments_in_entry);
    free(controls);
    free(iovecs);
    free(messages);
    free(payload);
    return NULL;
}

static void *sender_main(void *arg)
{
    struct phase *phase = arg;
    return phase->config->mode == MODE_NIO ? send_nio(phase) : send_batched(phase);
}

static int receive_failed(struct phase *phase, const int err)
{
    if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR)
    {
        return 0;
    }
    phase->rx_error = err;
    return 1;
}

static void *receive_nio(struct phase *phase)
{
    uint8_t *buffer = checked_calloc(1, NIO_RX_BUFFER_BYTES);
    uint64_t datagrams = 0;
    uint64_t bytes = 0;
    uint64_t syscalls = 0;
    while (!atomic_load_explicit(&phase->rx_stop, memory_order_relaxed))
    {
        struct sockaddr_storage from;
        socklen_t from_len = sizeof(from);
        syscalls++;
        const ssize_t received = recvfrom(phase->rx_fd, buffer, NIO_RX_BUFFER_BYTES, 0, (struct sockaddr *)&from, &from_len);
        if (received < 0)
        {
            if (receive_failed(phase, errno))
            {
                break;
            }
            continue;
        }
        datagrams++;
        bytes += (uint64_t)received;
        atomic_store_explicit(&phase->rx_datagrams_published, datagrams, memory_order_relaxed);
        atomic_store_explicit(&phase->last_rx_ns, now_ns(), memory_order_relaxed);
    }
    phase->rx_datagrams = datagrams;
    phase->rx_bytes = bytes;
    phase->rx_syscalls = syscalls;
    free(buffer);
    return NULL;
}

/* mmsg and gso: one recvmmsg() per call; with GRO each slot holds a whole train and its cmsg. */
static void *receive_batched(struct phase *phase)
{
    const struct config *config = phase->config;
    const int gro = config->mode == MODE_GSO;
    const int slots = gro ? (config->batch + segments_per_entry(config) - 1) / segments_per_entry(config) : config->batch;
    const size_t slot_bytes = gro ? GRO_SLOT_BYTES : (size_t)config->size;
    const size_t control_space = CMSG_SPACE(sizeof(int));

    uint8_t *buffers = checked_calloc((size_t)slots, slot_bytes);
    struct mmsghdr *messages = checked_calloc((size_t)slots, sizeof(*messages));
    struct iovec *iovecs = checked_calloc((size_t)slots, sizeof(*iovecs));
    struct sockaddr_storage *sources = checked_calloc((size_t)slots, sizeof(*sources));
    uint8_t *controls = checked_calloc((size_t)slots, control_space);
    for (int s = 0; s < slots; s++)
    {
        iovecs[s].iov_base = buffers + (size_t)s * slot_bytes;
        iovecs[s].iov_len = slot_bytes;
        messages[s].msg_hdr.msg_iov = &iovecs[s];
        messages[s].msg_hdr.msg_iovlen = 1;
        messages[s].msg_hdr.msg_name = &sources[s];
        if (gro)
        {
            messages[s].msg_hdr.msg_control = controls + (size_t)s * control_space;
        }
    }

    uint64_t datagrams = 0;
    uint64_t bytes = 0;
    uint64_t syscalls = 0;
    uint64_t truncated = 0;
    const int64_t coalesce_ns = (int64_t)config->rx_coalesce_us * 1000;
    int last_received = 0;
    while (!atomic_load_explicit(&phase->rx_stop, memory_order_relaxed))
    {
        /* The kernel overwrites these on every call. */
        for (int s = 0; s < slots; s++)
        {
            messages[s].msg_hdr.msg_namelen = sizeof(sources[s]);
            if (gro)
            {
                messages[s].msg_hdr.msg_controllen = control_space;
            }
        }
        if (coalesce_ns > 0 && last_received > 0 && last_received < slots)
        {
            syscalls++;
            sleep_ns(coalesce_ns);
        }
        syscalls++;
        const int received = recvmmsg(phase->rx_fd, messages, (unsigned int)slots, MSG_WAITFORONE, NULL);
        last_received = received;
        if (received < 0)
        {
            if (receive_failed(phase, errno))
            {
                break;
            }
            continue;
        }
        for (int s = 0; s < received; s++)
        {
            const struct msghdr *header = &messages[s].msg_hdr;
            const unsigned int length = messages[s].msg_len;
            if (header->msg_flags & (MSG_TRUNC | MSG_CTRUNC))
            {
                truncated++;
            }
            int segment_size = 0;
            if (gro)
            {
                for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(header); cmsg != NULL; cmsg = CMSG_NXTHDR((struct msghdr *)header, cmsg))
                {
                    if (cmsg->cmsg_level == SOL_UDP && cmsg->cmsg_type == UDP_GRO)
                    {
                        memcpy(&segment_size, CMSG_DATA(cmsg), sizeof(segment_size));
                    }
                }
            }
            datagrams += segment_size > 0 ? (length + (unsigned int)segment_size - 1) / (unsigned int)segment_size : 1;
            bytes += length;
        }
        atomic_store_explicit(&phase->rx_datagrams_published, datagrams, memory_order_relaxed);
        atomic_store_explicit(&phase->last_rx_ns, now_ns(), memory_order_relaxed);
    }
    phase->rx_datagrams = datagrams;
    phase->rx_bytes = bytes;
    phase->rx_syscalls = syscalls;
    phase->rx_truncated = truncated;
    free(controls);
    free(sources);
    free(iovecs);
    free(messages);
    free(buffers);
    return NULL;
}

static void *receiver_main(void *arg)
{
    struct phase *phase = arg;
    return phase->config->mode == MODE_NIO ? receive_nio(phase) : receive_batched(phase);
}

static void run_phase(struct phase *phase, const double seconds)
{
    atomic_store(&phase->tx_stop, 0);
    atomic_store(&phase->rx_stop, 0);
    atomic_store(&phase->rx_datagrams_published, 0);
    phase->tx_datagrams = phase->tx_syscalls = phase->tx_dropped_calls = 0;
    phase->rx_datagrams = phase->rx_bytes = phase->rx_syscalls = phase->rx_truncated = 0;
    phase->tx_error = phase->rx_error = phase->tx_gso_rejected = 0;

    pthread_t receiver;
    pthread_t sender;
    int err = pthread_create(&receiver, NULL, receiver_main, phase);
    if (err != 0)
    {
        die("pthread_create receiver", err);
    }
    phase->start_ns = now_ns();
    atomic_store(&phase->last_rx_ns, phase->start_ns);
    err = pthread_create(&sender, NULL, sender_main, phase);
    if (err != 0)
    {
        die("pthread_create sender", err);
    }

    sleep_ns((int64_t)(seconds * 1e9));
    atomic_store(&phase->tx_stop, 1);
    pthread_join(sender, NULL);
    const int64_t sender_end_ns = now_ns();

    /* Drain: until everything sent has arrived or nothing arrived for a while; bounded. */
    for (;;)
    {
        const int64_t now = now_ns();
        if (atomic_load(&phase->rx_datagrams_published) >= phase->tx_datagrams
            || now - atomic_load(&phase->last_rx_ns) >= DRAIN_QUIET_NS
            || now - sender_end_ns >= DRAIN_MAX_NS
            || phase->tx_error != 0)
        {
            break;
        }
        sleep_ns(2000000LL);
    }
    atomic_store(&phase->rx_stop, 1);
    pthread_join(receiver, NULL);
}

static double parse_double(const char *flag, const char *text, const double min, const double max)
{
    char *end = NULL;
    errno = 0;
    const double value = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !(value >= min && value <= max))
    {
        fprintf(stderr, "udp_ceiling: %s must be a number in [%g, %g], got '%s'\n", flag, min, max, text);
        exit(2);
    }
    return value;
}

static int parse_int(const char *flag, const char *text, const long min, const long max)
{
    char *end = NULL;
    errno = 0;
    const long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max)
    {
        fprintf(stderr, "udp_ceiling: %s must be an integer in [%ld, %ld], got '%s'\n", flag, min, max, text);
        exit(2);
    }
    return (int)value;
}

static void parse_args(const int argc, char **argv, struct config *config)
{
    enum { OPT_MODE = 1, OPT_SIZE, OPT_BATCH, OPT_SECONDS, OPT_WARMUP, OPT_RUNS, OPT_IPV6, OPT_RX_COALESCE_US, OPT_HELP };
    static const struct option options[] = {
        { "mode", required_argument, NULL, OPT_MODE },
        { "size", required_argument, NULL, OPT_SIZE },
        { "batch", required_argument, NULL, OPT_BATCH },
        { "seconds", required_argument, NULL, OPT_SECONDS },
        { "warmup", required_argument, NULL, OPT_WARMUP },
        { "runs", required_argument, NULL, OPT_RUNS },
        { "ipv6", no_argument, NULL, OPT_IPV6 },
        { "rx-coalesce-us", required_argument, NULL, OPT_RX_COALESCE_US },
        { "help", no_argument, NULL, OPT_HELP },
        { NULL, 0, NULL, 0 },
    };
    config->mode = MODE_MMSG;
    config->size = 1400;
    config->batch = 64;
    config->seconds = 2.0;
    config->warmup = 1.0;
    config->runs = 3;
    config->ipv6 = 0;
    config->rx_coalesce_us = 0;
    int have_mode = 0;

    int option;
    while ((option = getopt_long(argc, argv, "", options, NULL)) != -1)
    {
        switch (option)
        {
            case OPT_MODE:
                have_mode = 1;
                if (strcmp(optarg, "nio") == 0)
                {
                    config->mode = MODE_NIO;
                }
                else if (strcmp(optarg, "mmsg") == 0)
                {
                    config->mode = MODE_MMSG;
                }
                else if (strcmp(optarg, "gso") == 0)
                {
                    config->mode = MODE_GSO;
                }
                else
                {
                    fprintf(stderr, "udp_ceiling: --mode must be nio, mmsg or gso, got '%s'\n", optarg);
                    exit(2);
                }
                break;
            case OPT_SIZE:
                config->size = parse_int("--size", optarg, 1, GSO_MAX_BYTES_V6);
                break;
            case OPT_BATCH:
                config->batch = parse_int("--batch", optarg, 1, MAX_BATCH);
                break;
            case OPT_SECONDS:
                config->seconds = parse_double("--seconds", optarg, 0.01, MAX_SECONDS);
                break;
            case OPT_WARMUP:
                config->warmup = parse_double("--warmup", optarg, 0.0, MAX_SECONDS);
                break;
            case OPT_RUNS:
                config->runs = parse_int("--runs", optarg, 1, 1000);
                break;
            case OPT_IPV6:
                config->ipv6 = 1;
                break;
            case OPT_RX_COALESCE_US:
                config->rx_coalesce_us = parse_int("--rx-coalesce-us", optarg, 0, 100000);
                break;
            case OPT_HELP:
                usage(stdout);
                exit(0);
            default:
                usage(stderr);
                exit(2);
        }
    }
    if (optind != argc)
    {
        fprintf(stderr, "udp_ceiling: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        exit(2);
    }
    if (!have_mode)
    {
        fprintf(stderr, "udp_ceiling: --mode is required\n");
        usage(stderr);
        exit(2);
    }
    if (config->size > max_gso_bytes(config))
    {
        fprintf(stderr, "udp_ceiling: --size %d exceeds the largest UDP payload (%d)\n", config->size, max_gso_bytes(config));
        exit(2);
    }
}

static void print_skip(const struct config *config, const char *reason, const int err)
{
    printf("SKIP impl=%s mode=%s reason=%s:%s\n", IMPL_NAME, MODE_NAMES[config->mode], reason, strerror(err));
    fflush(stdout);
}

/* GSO and GRO are probed with setsockopt; the probe's UDP_SEGMENT is reset so the cmsg rules. */
static int enable_gso_gro(const struct config *config, const int tx_fd, const int rx_fd)
{
    int segment_size = config->size;
    if (setsockopt(tx_fd, SOL_UDP, UDP_SEGMENT, &segment_size, sizeof(segment_size)) != 0)
    {
        print_skip(config, "UDP_SEGMENT_unsupported", errno);
        return 0;
    }
    segment_size = 0;
    if (setsockopt(tx_fd, SOL_UDP, UDP_SEGMENT, &segment_size, sizeof(segment_size)) != 0)
    {
        die("reset UDP_SEGMENT", errno);
    }
    const int on = 1;
    if (setsockopt(rx_fd, SOL_UDP, UDP_GRO, &on, sizeof(on)) != 0)
    {
        print_skip(config, "UDP_GRO_unsupported", errno);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    struct config config;
    parse_args(argc, argv, &config);

    struct phase *phase = checked_calloc(1, sizeof(*phase));
    phase->config = &config;
    phase->rx_fd = open_socket(&config);
    phase->tx_fd = open_socket(&config);
    set_buffer(phase->rx_fd, SO_RCVBUF, "SO_RCVBUF");
    set_buffer(phase->tx_fd, SO_SNDBUF, "SO_SNDBUF");
    const struct timeval timeout = { .tv_sec = 0, .tv_usec = RX_TIMEOUT_US };
    if (setsockopt(phase->rx_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) != 0)
    {
        die("SO_RCVTIMEO", errno);
    }
    bind_loopback(phase->rx_fd, config.ipv6, &phase->destination, &phase->destination_len);
    if (config.mode == MODE_GSO && !enable_gso_gro(&config, phase->tx_fd, phase->rx_fd))
    {
        return 0;
    }
    fprintf(stderr, "udp_ceiling: mode=%s size=%d batch=%d seconds=%g warmup=%g runs=%d rx-coalesce-us=%d on %s\n",
        MODE_NAMES[config.mode], config.size, config.batch, config.seconds, config.warmup, config.runs,
        config.rx_coalesce_us,
        config.ipv6 ? "[::1]" : "127.0.0.1");
    if (config.mode == MODE_GSO)
    {
        fprintf(stderr, "udp_ceiling: gso: %d segments per entry, %d entries per sendmmsg\n",
            segments_per_entry(&config), (config.batch + segments_per_entry(&config) - 1) / segments_per_entry(&config));
    }

    for (int run = 0; run <= config.runs; run++)
    {
        const int warmup = run == 0;
        if (warmup && config.warmup <= 0.0)
        {
            continue;
        }
        run_phase(phase, warmup ? config.warmup : config.seconds);
        if (phase->tx_gso_rejected)
        {
            print_skip(&config, "GSO_rejected_at_send", phase->tx_error);
            return 0;
        }
        if (phase->tx_error != 0)
        {
            die(config.mode == MODE_NIO ? "sendto" : "sendmmsg", phase->tx_error);
        }
        if (phase->rx_error != 0)
        {
            die(config.mode == MODE_NIO ? "recvfrom" : "recvmmsg", phase->rx_error);
        }
        if (phase->rx_truncated != 0)
        {
            fprintf(stderr, "udp_ceiling: %llu received datagrams were truncated (MSG_TRUNC/MSG_CTRUNC)\n",
                (unsigned long long)phase->rx_truncated);
            exit(3);
        }
        const int64_t last_rx_ns = atomic_load(&phase->last_rx_ns);
        const double elapsed = (double)(last_rx_ns - phase->start_ns) / 1e9;
        if (warmup)
        {
            fprintf(stderr, "udp_ceiling: warmup %.2fs rx %.1f MiB/s\n", elapsed,
                elapsed > 0 ? (double)phase->rx_bytes / elapsed / 1048576.0 : 0.0);
            continue;
        }
        if (phase->tx_dropped_calls != 0)
        {
            fprintf(stderr, "udp_ceiling: run %d: %llu send calls refused (ENOBUFS/EAGAIN)\n", run,
                (unsigned long long)phase->tx_dropped_calls);
        }
        printf("RESULT impl=%s mode=%s size=%d batch=%d run=%d seconds=%.6f tx_datagrams=%llu rx_datagrams=%llu "
               "rx_bytes=%llu lost=%lld tx_syscalls=%llu rx_syscalls=%llu\n",
            IMPL_NAME, MODE_NAMES[config.mode], config.size, config.batch, run, elapsed,
            (unsigned long long)phase->tx_datagrams, (unsigned long long)phase->rx_datagrams,
            (unsigned long long)phase->rx_bytes,
            (long long)phase->tx_datagrams - (long long)phase->rx_datagrams,
            (unsigned long long)phase->tx_syscalls, (unsigned long long)phase->rx_syscalls);
        fflush(stdout);
    }
    close(phase->tx_fd);
    close(phase->rx_fd);
    free(phase);
    return 0;
}
