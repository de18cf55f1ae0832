package io.ferrolb.speaker.membership;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One speaker's membership as a process of its own, for the integration tests and the benchmark.
 * Arguments are {@code key=value}: name, host, port, secret (file), peers (comma-separated
 * host:port) or peersFile (re-read at every lookup, one host:port per line), failureDetector
 * (ferrolb|scalecube-defaults|aggressive as the speaker's {@code --failure-detector}, or the
 * experimental t200|t150|t100), crashWatch (true|false, default true as in the speaker), joinDeadlineMs. It prints machine-readable lines on stdout:
 * {@code STARTED}, {@code VIEW ts=… joined=… alive=a,b,c} after every change, and {@code LEFT} with
 * the codec's counters after SIGTERM made it leave.
 */
public final class MemberMain {

    private MemberMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        Arrays.stream(args).map(a -> a.split("=", 2)).forEach(kv -> opts.put(kv[0], kv.length > 1 ? kv[1] : ""));
        InetAddress host = InetAddress.getByName(opts.get("host"));
        int port = Integer.parseInt(opts.get("port"));
        MembershipSettings settings = MembershipSettings.defaults(opts.get("name"), host)
                .withPort(port)
                .withTimers(failureDetector(opts.getOrDefault("failureDetector", "ferrolb")))
                .withCrashWatch(Boolean.parseBoolean(opts.getOrDefault("crashWatch", "true")))
                .withJoinDeadline(Duration.ofMillis(Long.parseLong(opts.getOrDefault("joinDeadlineMs", "10000"))));
        MessageSealer sealer = MessageSealer.fromSecretFile(Path.of(opts.get("secret")));
        PeerSource peers = peerSource(opts);

        Membership membership = new Membership(settings, sealer, peers, view -> print("VIEW ts="
                + System.currentTimeMillis() + " joined=" + view.joined() + " alive=" + String.join(",", view.alive())));
        CountDownLatch left = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long t0 = System.currentTimeMillis();
            membership.close();
            SealedMessageCodec codec = membership.codec();
            print("LEFT ts=" + System.currentTimeMillis() + " closeMs=" + (System.currentTimeMillis() - t0)
                    + " sealed=" + codec.sealedCount() + " opened=" + codec.openedCount()
                    + " dropped=" + codec.droppedCount());
            left.countDown();
        }, "leave"));
        membership.start();
        print("STARTED ts=" + System.currentTimeMillis() + " name=" + settings.nodeName());
        left.await();
    }

    static SwimTimers failureDetector(String name) {
        return switch (name) {
            case "t200" -> timers(200, 100, 2);
            case "t150" -> timers(150, 75, 2);
            case "t100" -> timers(100, 50, 2);
            default -> SwimTimers.named(name);
        };
    }

    /** ferrolb's gossip and sync settings with other probe timers. */
    private static SwimTimers timers(long pingInterval, long pingTimeout, int suspicionMult) {
        return new SwimTimers(SwimTimers.ms(pingInterval), SwimTimers.ms(pingTimeout), 2, suspicionMult,
                SwimTimers.ms(50), 3, 3, SwimTimers.ms(1000), SwimTimers.ms(2000), SwimTimers.ms(1000),
                SwimTimers.ms(1000));
    }

    private static PeerSource peerSource(Map<String, String> opts) {
        if (opts.containsKey("peersFile")) {
            Path file = Path.of(opts.get("peersFile"));
            return () -> parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        List<InetSocketAddress> fixed = parse(Arrays.asList(opts.getOrDefault("peers", "").split(",")));
        return () -> fixed;
    }

    private static List<InetSocketAddress> parse(List<String> endpoints) {
        return endpoints.stream().map(String::trim).filter(s -> !s.isEmpty()).map(s -> {
            int colon = s.lastIndexOf(':');
            return new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        }).toList();
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
