package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.wire.packet.ArpPacket;
import io.ferrolb.speaker.wire.packet.Frame;
import io.ferrolb.speaker.wire.packet.Mac;
import java.util.concurrent.atomic.AtomicLong;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.RawPacketListener;

/**
 * The benchmark's load generator, run inside the client namespace: {@code ArpFlood iface mac ip
 * target rate seconds} sends broadcast ARP requests for {@code target} at a fixed rate for a bounded
 * time and counts the replies from it; prints {@code FLOOD target= rate= sent= received=}.
 */
public final class ArpFlood {

    private ArpFlood() {
    }

    public static void main(String[] args) throws Exception {
        String iface = args[0];
        Mac mac = Mac.parse(args[1]);
        IpAddress ip = IpAddress.parse(args[2]);
        IpAddress target = IpAddress.parse(args[3]);
        int rate = Integer.parseInt(args[4]);
        double seconds = Math.min(10, Double.parseDouble(args[5]));
        PcapHandle rx = new PcapHandle.Builder(iface).snaplen(128).promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(50).immediateMode(true).bufferSize(8 << 20).direction(PcapDirection.IN).build();
        rx.setFilter("arp and arp[6:2] = 2", BpfCompileMode.OPTIMIZE);
        PcapHandle tx = new PcapHandle.Builder(iface).snaplen(64).promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(50).build();
        tx.setFilter("less 1", BpfCompileMode.OPTIMIZE);
        AtomicLong received = new AtomicLong();
        Thread reader = new Thread(() -> {
            try {
                rx.loop(-1, (RawPacketListener) raw -> {
                    if (Frame.parse(raw) instanceof Frame.Arp a && a.packet().senderIp().equals(target)) {
                        received.incrementAndGet();
                    }
                });
            } catch (Exception e) {
                // breakLoop
            }
        }, "flood-rx");
        reader.start();
        byte[] frame = ArpPacket.request(mac, ip, target).frame(Mac.BROADCAST, mac);
        long total = (long) (rate * seconds);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            tx.sendPacket(frame);
        }
        double took = (System.nanoTime() - start) / 1e9;
        Thread.sleep(500);
        rx.breakLoop();
        reader.join(2000);
        rx.close();
        tx.close();
        System.out.printf("FLOOD target=%s rate=%d achieved=%.0f sent=%d received=%d%n", target, rate, total / took,
                total, received.get());
    }
}
