package io.ferrolb.speaker.wire.pcap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.RawPacketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interface's two libpcap handles (docs/design.md §6.2, §14.4): a receive handle in immediate mode,
 * inbound only, filtered in the kernel to ARP and Neighbor Solicitations/Advertisements, read by
 * one thread blocked in {@code pcap_loop} (never {@code pcap_next}, which can block forever and
 * deadlock {@code close}); and a send handle that captures nothing, because a {@code pcap_t} is not
 * safe for concurrent send and receive. A new filter is set by the reading thread itself, between
 * two {@code pcap_loop} calls: libpcap frees the old program when it installs a new one, and a loop
 * still filtering queued packets in user space with it crashed the speaker (SIGSEGV in libpcap).
 */
final class CapturePort implements AutoCloseable {

    /** ARP, and ICMPv6 types 135/136 right after the fixed IPv6 header (hex literals: docs/design.md §14.4). */
    static final String FILTER = CaptureFilter.EVERY_ARP;
    private static final Logger LOG = LoggerFactory.getLogger(CapturePort.class);
    /** libpcap's PCAP_NETMASK_UNKNOWN: the filters here test no broadcast address. */
    private static final Inet4Address NETMASK_UNKNOWN = netmaskUnknown();
    private static final int READ_TIMEOUT_MILLIS = 100;
    private static final int RECEIVE_BUFFER = 2 << 20;
    private static final int SEND_BUFFER = 128 << 10;
    private static final long STOP_MILLIS = 2_000;
    /** The reading thread wakes from a break at once; a second covers a loaded machine. */
    private static final long FILTER_WAIT_MILLIS = 1_000;

    private final Responder.Port port;
    private final PcapHandle rx;
    private final PcapHandle tx;
    private final Thread reader;
    private volatile boolean running = true;
    private volatile boolean closing;
    /** A filter for the reading thread to set, with the caller waiting for the outcome; reader-owned once taken. */
    private final AtomicReference<FilterChange> pending = new AtomicReference<>();

    /** Takes each frame read, with the time the kernel captured it (wall-clock microseconds). */
    @FunctionalInterface
    interface FrameHandler {
        void frame(CapturePort port, byte[] frame, long capturedMicros);
    }

    /** A filter handed to the reading thread; {@code done} completes with null or the failure. */
    private record FilterChange(BpfProgram program, CompletableFuture<Exception> done) {
    }

    private CapturePort(Responder.Port port, PcapHandle rx, PcapHandle tx, FrameHandler handler) {
        this.port = port;
        this.rx = rx;
        this.tx = tx;
        this.reader = new Thread(() -> read(handler), "wire-rx-" + port.name());
        reader.setDaemon(true);
        reader.start();
    }

    static CapturePort open(Responder.Port port, int snaplen, FrameHandler handler) throws PcapNativeException {
        PcapHandle rx = null;
        try {
            rx = new PcapHandle.Builder(port.name()).snaplen(snaplen).promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(READ_TIMEOUT_MILLIS).immediateMode(true).bufferSize(RECEIVE_BUFFER)
                    .direction(PcapDirection.IN).build();
            rx.setFilter(FILTER, BpfCompileMode.OPTIMIZE);
            PcapHandle tx = new PcapHandle.Builder(port.name()).snaplen(64)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS).timeoutMillis(READ_TIMEOUT_MILLIS)
                    .bufferSize(SEND_BUFFER).build();
            try {
                tx.setFilter("less 1", BpfCompileMode.OPTIMIZE);
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                tx.close();
                throw e;
            }
            return new CapturePort(port, rx, tx, handler);
        } catch (NotOpenException e) {
            rx.close();
            throw new PcapNativeException("handle closed while opening " + port.name() + ": " + e.getMessage());
        } catch (PcapNativeException | RuntimeException e) {
            if (rx != null) {
                rx.close();
            }
            throw e;
        }
    }

    /** Compiles a capture filter for this interface (slow for long expressions: outside any lock). */
    BpfProgram compile(String expression) throws PcapNativeException, NotOpenException {
        return rx.compileFilter(expression, BpfCompileMode.OPTIMIZE, NETMASK_UNKNOWN);
    }

    /**
     * Replaces the capture filter (see {@link CaptureFilter}) and returns once the reading thread
     * has set it; the capture goes on. Takes ownership of {@code program}.
     */
    void filter(BpfProgram program) throws PcapNativeException, NotOpenException {
        FilterChange change = new FilterChange(program, new CompletableFuture<>());
        FilterChange replaced = pending.getAndSet(change);
        if (replaced != null) {
            replaced.program().free();
            replaced.done().complete(new PcapNativeException("replaced by a newer filter"));
        }
        rx.breakLoop();
        Exception failure;
        try {
            failure = change.done().get(FILTER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PcapNativeException("interrupted while the filter was set on " + port.name());
        } catch (ExecutionException | TimeoutException e) {
            throw new PcapNativeException("filter not set on " + port.name() + ": " + e);
        }
        if (failure instanceof PcapNativeException native_) {
            throw native_;
        }
        if (failure instanceof NotOpenException notOpen) {
            throw notOpen;
        }
        if (failure != null) {
            throw new PcapNativeException("filter not set on " + port.name() + ": " + failure);
        }
    }

    /** Reading thread, between loops: sets the filter handed over, if any. */
    private void applyPending() {
        FilterChange change = pending.getAndSet(null);
        if (change == null) {
            return;
        }
        try {
            rx.setFilter(change.program());
            change.done().complete(null);
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            change.done().complete(e);
        } finally {
            change.program().free();
        }
    }

    private static Inet4Address netmaskUnknown() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    Responder.Port port() {
        return port;
    }

    boolean running() {
        return running;
    }

    /** Sends one frame; false (and a debug line) if libpcap refused it. */
    boolean send(byte[] frame) {
        synchronized (tx) {
            try {
                tx.sendPacket(frame);
                return true;
            } catch (PcapNativeException | NotOpenException e) {
                LOG.debug("send failed interface={} error={}", port.name(), e.toString());
                return false;
            }
        }
    }

    private void read(FrameHandler handler) {
        RawPacketListener listener = frame -> {
            try {
                handler.frame(this, frame, micros(rx.getTimestamp()));
            } catch (RuntimeException e) {
                LOG.warn("frame handling failed interface={} error={}", port.name(), e.toString());
            }
        };
        try {
            while (!closing) {
                try {
                    rx.loop(-1, listener);
                } catch (InterruptedException e) {
                    // broken by close() or by a filter change
                }
                applyPending();
            }
            LOG.debug("capture stopped interface={}", port.name());
        } catch (PcapNativeException | NotOpenException e) {
            LOG.warn("capture failed interface={} error={}", port.name(), e.toString());
        } finally {
            running = false;
            FilterChange left = pending.getAndSet(null);
            if (left != null) {
                left.program().free();
                left.done().complete(new PcapNativeException("capture stopped on " + port.name()));
            }
        }
    }

    /** The capture time in microseconds; "now or later" when libpcap gave none. */
    static long micros(Timestamp captured) {
        if (captured == null) {
            return Long.MAX_VALUE;
        }
        return CaptureClock.micros(captured.toInstant());
    }

    @Override
    public void close() {
        closing = true;
        try {
            rx.breakLoop();
        } catch (NotOpenException e) {
            LOG.debug("breakLoop on a closed handle interface={}", port.name());
        }
        try {
            reader.join(STOP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reader.isAlive()) {
            // Closing a handle under a thread still inside pcap_loop would block on pcap4j's lock.
            LOG.warn("capture thread did not stop interface={}; leaving its handle open", port.name());
        } else {
            rx.close();
        }
        synchronized (tx) {
            tx.close();
        }
    }
}
