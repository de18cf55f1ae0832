package io.ferrolb.e2e.lab;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.wire.packet.ArpPacket;
import io.ferrolb.speaker.wire.packet.EthernetFrame;
import io.ferrolb.speaker.wire.packet.Mac;
import io.ferrolb.speaker.wire.pcap.CaptureClock;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.LockSupport;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.RawPacketListener;

/**
 * The client's independent view of who answers ARP for every VIP, run inside {@code flb-client}:
 * every round (50 ms by default) it sends one ARP request for each VIP from the client's own
 * address, spread over the first 80% of the round, and records which MACs reply to it (gratuitous
 * replies do not count). It never asks ferrolb (or MetalLB) anything. Rounds overlap nothing: a
 * reply is counted for the round during which the client's kernel received it (its capture time,
 * not the time this JVM got to read it: at 1,000 VIPs on a loaded machine the reader lagged enough to
 * put an old owner's last answer into the next round, next to the new owner's first). A round is
 * reported once the next one has ended, so that a lagging reader has had that long to read it.
 *
 * <p>{@code ArpProber <interface> <client-ip> <client-mac> <interval-ms> <vips-file>}: the VIPs one
 * per line. Output, one line each, flushed as they happen:
 * <ul>
 *   <li>{@code R <round> <epoch-ms>}: a round started;
 *   <li>{@code A <round> <epoch-ms> <vip> <mac>[,<mac>...]|-}: the set of MACs answering for a VIP
 *       changed from the previous round ({@code -}: nobody answered this round);
 *   <li>{@code D <round> <epoch-ms> <vip> <mac>,<mac>...}: two or more MACs answered one round.
 * </ul>
 */
public final class ArpProber {

    private final PcapHandle rx;
    private final PcapHandle tx;
    private final Mac clientMac;
    private final IpAddress clientIp;
    private final List<IpAddress> vips;
    private final PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
    /** Round numbers by their start, in wall-clock microseconds (the capture clock). */
    private final ConcurrentSkipListMap<Long, Long> roundsByStart = new ConcurrentSkipListMap<>();
    /** MACs heard per VIP, per round, by capture time. */
    private final Map<Long, Map<IpAddress, Set<Mac>>> heard = new ConcurrentHashMap<>();
    private final Map<IpAddress, Set<Mac>> previous = new HashMap<>();

    private ArpProber(PcapHandle rx, PcapHandle tx, Mac clientMac, IpAddress clientIp, List<IpAddress> vips) {
        this.rx = rx;
        this.tx = tx;
        this.clientMac = clientMac;
        this.clientIp = clientIp;
        this.vips = vips;
    }

    public static void main(String[] args) throws Exception {
        String iface = args[0];
        IpAddress clientIp = IpAddress.parse(args[1]);
        Mac clientMac = Mac.parse(args[2]);
        long intervalMs = Long.parseLong(args[3]);
        List<IpAddress> vips = Files.readAllLines(Path.of(args[4])).stream().map(String::strip)
                .filter(l -> !l.isEmpty()).map(IpAddress::parse).toList();
        PcapHandle rx = new PcapHandle.Builder(iface).snaplen(64).promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(10).immediateMode(true).bufferSize(8 << 20).build();
        rx.setFilter("arp and arp[6:2] = 2", BpfCompileMode.OPTIMIZE);
        PcapHandle tx = new PcapHandle.Builder(iface).snaplen(64).promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(10).bufferSize(4 << 20).build();
        tx.setFilter("less 1", BpfCompileMode.OPTIMIZE);
        new ArpProber(rx, tx, clientMac, clientIp, vips).run(intervalMs);
    }

    private void run(long intervalMs) throws Exception {
        Set<IpAddress> watched = Set.copyOf(vips);
        Thread reader = new Thread(() -> {
            RawPacketListener listener = frame -> EthernetFrame.decode(frame)
                    .filter(f -> f.etherType() == EthernetFrame.ARP)
                    .flatMap(f -> ArpPacket.decode(f.payload()))
                    // Only answers to our own requests: a new owner's gratuitous reply in the same
                    // round as the old owner's last answer is a takeover, not two owners.
                    .filter(a -> a.operation() == ArpPacket.REPLY && watched.contains(a.senderIp())
                            && a.targetIp().equals(clientIp))
                    .ifPresent(a -> heard(micros(rx.getTimestamp()), a.senderIp(), a.senderMac()));
            try {
                rx.loop(-1, listener);
            } catch (Exception e) {
                System.err.println("capture ended: " + e);
            }
        }, "arp-prober-rx");
        reader.setDaemon(true);
        reader.start();
        List<byte[]> requests = new ArrayList<>(vips.size());
        for (IpAddress vip : vips) {
            requests.add(ArpPacket.request(clientMac, clientIp, vip).frame(Mac.BROADCAST, clientMac));
        }
        long intervalNanos = intervalMs * 1_000_000L;
        long next = System.nanoTime();
        long round = 0;
        long roundStartedMs = System.currentTimeMillis();
        long previousStartedMs = roundStartedMs;
        while (true) {
            roundsByStart.put(roundStartedMs * 1000, round);
            // Requests are spread over the first 80% of the round rather than sent in one burst: a
            // burst of 1,000 frames overflows the receive buffer of MetalLB's ARP responder (a raw
            // socket), which a paced stream does not; the last 20% leaves the replies time to arrive
            // within their round.
            long roundStart = next;
            for (int i = 0; i < requests.size(); i++) {
                long wait = roundStart + i * (intervalNanos * 4 / 5) / requests.size() - System.nanoTime();
                if (wait > 50_000) {
                    LockSupport.parkNanos(wait);
                }
                tx.sendPacket(requests.get(i));
            }
            next += intervalNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
            } else {
                next = System.nanoTime(); // fell behind: start the next round now, never bunch them up
            }
            if (round > 0) {
                Map<IpAddress, Set<Mac>> done = heard.remove(round - 1);
                report(round - 1, previousStartedMs, done == null ? Map.of() : done);
                roundsByStart.headMap(roundsByStart.lastKey() - 10_000_000L).clear();
                long reported = round - 1;
                heard.keySet().removeIf(r -> r < reported); // read even later than that: lost
            }
            round++;
            previousStartedMs = roundStartedMs;
            roundStartedMs = System.currentTimeMillis();
            out.println("R " + round + " " + roundStartedMs);
            out.flush();
        }
    }

    /** A reply captured at {@code capturedMicros}: the round then under way heard it. */
    private void heard(long capturedMicros, IpAddress vip, Mac mac) {
        Map.Entry<Long, Long> round = roundsByStart.floorEntry(capturedMicros);
        if (round != null) {
            heard.computeIfAbsent(round.getValue(), r -> new ConcurrentHashMap<>())
                    .computeIfAbsent(vip, k -> ConcurrentHashMap.newKeySet()).add(mac);
        }
    }

    /** Wall-clock microseconds of a capture; now when libpcap gave no time. */
    private static long micros(Timestamp captured) {
        return captured == null ? CaptureClock.now() : CaptureClock.micros(captured.toInstant());
    }

    private void report(long round, long epochMs, Map<IpAddress, Set<Mac>> done) {
        for (IpAddress vip : vips) {
            Set<Mac> macs = done.getOrDefault(vip, Set.of());
            Set<Mac> before = previous.getOrDefault(vip, Set.of());
            String text = macs.isEmpty() ? "-" : String.join(",", new TreeSet<>(macs.stream().map(Mac::toString)
                    .toList()));
            if (!macs.equals(before)) {
                out.println("A " + round + " " + epochMs + " " + vip + " " + text);
                previous.put(vip, Set.copyOf(macs));
            }
            if (macs.size() > 1) {
                out.println("D " + round + " " + epochMs + " " + vip + " " + text);
            }
        }
        out.flush();
    }
}
