package io.ferrolb.e2e.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The lab's backend ("webpod"): an HTTP server inside a node namespace that answers every request
 * with its node name. It stands for the pod behind a NodePort on this node: it listens on the
 * NodePorts written to a ports file (one per line) that the lab, playing kube-proxy, keeps up to date,
 * and keeps HTTP/1.1 connections open so that a client can hold them across a failover.
 *
 * <p>Usage: {@code WebPod <node-name> <bind-address> <ports-file>}
 */
public final class WebPod {

    private final String node;
    private final String bindAddress;
    private final Map<Integer, ServerSocket> listening = new HashMap<>();

    private WebPod(String node, String bindAddress) {
        this.node = node;
        this.bindAddress = bindAddress;
    }

    public static void main(String[] args) throws Exception {
        WebPod pod = new WebPod(args[0], args[1]);
        Path ports = Path.of(args[2]);
        while (true) {
            pod.follow(ports);
            Thread.sleep(100);
        }
    }

    private void follow(Path file) throws IOException {
        Set<Integer> wanted = new HashSet<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    wanted.add(Integer.parseInt(line.strip()));
                }
            }
        }
        for (Integer port : Set.copyOf(listening.keySet())) {
            if (!wanted.contains(port)) {
                listening.remove(port).close();
                System.out.println("closed " + port);
            }
        }
        for (Integer port : wanted) {
            if (!listening.containsKey(port)) {
                ServerSocket server = new ServerSocket();
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(bindAddress, port), 512);
                listening.put(port, server);
                Thread acceptor = new Thread(() -> accept(server), "accept-" + port);
                acceptor.setDaemon(true);
                acceptor.start();
                System.out.println("listening " + port);
            }
        }
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> serve(socket), "conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** HTTP/1.1 with keep-alive: one answer per request until the client closes or asks to. */
    private void serve(Socket socket) {
        byte[] body = (node + "\n").getBytes(StandardCharsets.US_ASCII);
        try (socket;
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII))) {
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = in.readLine();
                if (requestLine == null) {
                    return;
                }
                boolean close = requestLine.endsWith("HTTP/1.0");
                for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                    if (header.toLowerCase().startsWith("connection:")) {
                        close = header.toLowerCase().contains("close");
                    }
                }
                String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                        + (close ? "\r\nConnection: close" : "") + "\r\n\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                if (close) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away.
        }
    }
}
