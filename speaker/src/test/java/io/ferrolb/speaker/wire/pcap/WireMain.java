package io.ferrolb.speaker.wire.pcap;

import com.sun.net.httpserver.HttpServer;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.handoff.CommandRunner;
import io.ferrolb.speaker.handoff.IptablesHandoff;
import io.ferrolb.speaker.handoff.PortMapping;
import io.ferrolb.speaker.plan.Interfaces;
import io.ferrolb.speaker.wire.InterfaceRules;
import io.ferrolb.speaker.wire.LinkScanner;
import io.ferrolb.speaker.wire.Wire;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A packet wire in its own JVM, for the tests in network namespaces: {@code ip netns exec flb-wn1
 * java -cp <test classpath> io.ferrolb.speaker.wire.pcap.WireMain n1 [refreshSeconds]}. Reads one
 * command per line on stdin ({@code announce svc ip [if,...]}, {@code withdraw svc ip},
 * {@code http port}, {@code install svc ip protocol port nodePort nodeIp}, {@code remove svc},
 * {@code expect ip,...}, {@code filter}, {@code metrics}, {@code quit}); prints {@code READY}, {@code OK <command>}, {@code CONFLICT ip mac
 * iface epochMillis}, {@code FILTER state} and {@code METRIC name ip value} lines. SIGTERM closes the wire and the handoff.
 */
public final class WireMain {

    private WireMain() {
    }

    public static void main(String[] args) throws IOException {
        String node = args[0];
        Duration refresh = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LinkScanner links = new LinkScanner(Path.of("/sys/class/net"), new InterfaceRules(InterfaceRules.DEFAULT_EXCLUDES));
        PcapWire wire = PcapWire.start(links, registry, (ip, mac, iface) -> System.out.println(
                "CONFLICT " + ip + " " + mac + " " + iface + " " + System.currentTimeMillis()),
                PcapWire.Settings.defaults().withRefresh(refresh));
        IptablesHandoff[] handoff = new IptablesHandoff[1];
        HttpServer[] http = new HttpServer[1];
        Runnable stop = () -> {
            wire.close();
            if (handoff[0] != null) {
                handoff[0].close();
            }
            if (http[0] != null) {
                http[0].stop(0);
            }
        };
        Thread hook = new Thread(stop, "wire-main-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("READY " + node + " interfaces=" + wire.interfaces());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] c = line.strip().split(" ");
            switch (c[0]) {
                case "announce" -> wire.announceAll(List.of(new Wire.Claim(c[1], IpAddress.parse(c[2]),
                        c.length > 3 && !c[3].equals("all") ? Interfaces.only(Arrays.asList(c[3].split(",")))
                                : Interfaces.all(), c.length > 4 && (c[4].equals("takeover") || c[4].equals("handover")),
                        c.length > 4 && c[4].equals("handover"))));
                case "withdraw" -> wire.withdraw(c[1], IpAddress.parse(c[2]));
                case "silence" -> wire.silence();
                case "expect" -> wire.expect(List.of(Arrays.stream(c[1].split(",")).map(IpAddress::parse)
                        .collect(Collectors.toSet())));
                case "filter" -> System.out.println("FILTER " + wire.filterState());
                case "http" -> http[0] = serve(node, Integer.parseInt(c[1]));
                case "install" -> {
                    if (handoff[0] == null) {
                        handoff[0] = new IptablesHandoff(CommandRunner.system(10), List.of(IpAddress.parse(c[6])));
                    }
                    handoff[0].install(c[1], List.of(IpAddress.parse(c[2])),
                            List.of(new PortMapping(c[3], Integer.parseInt(c[4]), Integer.parseInt(c[5]))));
                }
                case "remove" -> handoff[0].remove(c[1]);
                case "metrics" -> registry.getMeters().forEach(WireMain::print);
                case "quit" -> {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    stop.run();
                    System.out.println("OK quit");
                    System.exit(0);
                }
                default -> System.out.println("ERROR unknown command " + line);
            }
            System.out.println("OK " + line.strip());
        }
    }

    private static void print(Meter meter) {
        meter.measure().forEach(m -> System.out.println("METRIC " + meter.getId().getName() + " "
                + meter.getId().getTag("ip") + " " + (long) m.getValue()));
    }

    private static HttpServer serve(String node, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        server.createContext("/", exchange -> {
            byte[] body = ("hello from " + node + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }
}
