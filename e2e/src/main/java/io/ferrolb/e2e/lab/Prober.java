package io.ferrolb.e2e.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The client-side prober of the failover tests and benchmarks, run inside {@code flb-client}. One
 * line per attempt on standard output: {@code <epoch-ms> <new|held> <ok|fail> <node|reason> <ms> <ip>}.
 *
 * <ul>
 *   <li>{@code Prober new <ip>[,<ip>...] <port> <interval-ms> <timeout-ms>}: a new TCP connection and
 *       one HTTP request to every address every interval. Attempts run side by side: a slow or
 *       failing one never delays the next, so the cadence holds and every failure is counted.
 *   <li>{@code Prober held <ip> <port> <connections> <interval-ms> <timeout-ms>}: that many
 *       keep-alive connections, each sending a request every interval; a failed connection is
 *       counted and replaced by a new one.
 * </ul>
 */
public final class Prober {

    private final PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
    private final List<InetSocketAddress> targets;
    private final int timeoutMs;

    private Prober(List<InetSocketAddress> targets, int timeoutMs) {
        this.targets = targets;
        this.timeoutMs = timeoutMs;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = Integer.parseInt(args[2]);
        List<InetSocketAddress> targets = Arrays.stream(args[1].split(","))
                .map(ip -> new InetSocketAddress(ip, port)).toList();
        if (mode.equals("new")) {
            new Prober(targets, Integer.parseInt(args[4])).newConnections(Integer.parseInt(args[3]));
        } else if (mode.equals("held")) {
            new Prober(targets.subList(0, 1), Integer.parseInt(args[5]))
                    .heldConnections(Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else {
            throw new IllegalArgumentException("mode must be new or held: " + mode);
        }
    }

    /** A ticker starts the attempts; each runs on a thread of its own, so a slow one holds up nothing. */
    private void newConnections(int intervalMs) throws InterruptedException {
        ExecutorService attempts = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "attempt");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> targets.forEach(t -> attempts.execute(() -> probeOnce(t))), 0, intervalMs,
                TimeUnit.MILLISECONDS);
        Thread.currentThread().join();
    }

    private void probeOnce(InetSocketAddress target) {
        long start = System.currentTimeMillis();
        long t0 = System.nanoTime();
        String ip = target.getAddress().getHostAddress();
        boolean connected = false;
        try (Socket s = new Socket()) {
            s.connect(target, timeoutMs);
            connected = true;
            s.setSoTimeout(timeoutMs);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String body = readResponseBody(new BufferedReader(new InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII)));
            emit(start, "new", "ok", body, t0, ip);
        } catch (IOException e) {
            // A connection that was made but not answered in time is a slow backend, not a lost path.
            String reason = reason(e);
            emit(start, "new", "fail", connected && reason.equals("timeout") ? "answer-timeout" : reason, t0, ip);
        }
    }

    private void heldConnections(int connections, int intervalMs) throws InterruptedException {
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(() -> holdOne(intervalMs), "held-" + i);
            t.setDaemon(true);
            t.start();
        }
        Thread.currentThread().join();
    }

    private void holdOne(int intervalMs) {
        InetSocketAddress target = targets.get(0);
        String ip = target.getAddress().getHostAddress();
        while (true) {
            long opened = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(target, timeoutMs);
                s.setSoTimeout(timeoutMs);
                OutputStream os = s.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII));
                while (true) {
                    long start = System.currentTimeMillis();
                    long t0 = System.nanoTime();
                    os.write("GET / HTTP/1.1\r\nHost: vip\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    os.flush();
                    emit(start, "held", "ok", readResponseBody(in), t0, ip);
                    Thread.sleep(intervalMs);
                }
            } catch (IOException e) {
                emit(System.currentTimeMillis(), "held", "fail", reason(e), opened, ip);
                sleepQuietly(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String readResponseBody(BufferedReader in) throws IOException {
        String status = in.readLine();
        if (status == null || !status.contains(" 200 ")) {
            throw new IOException("bad-status");
        }
        int length = -1;
        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
            if (h.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(15).strip());
            }
        }
        if (length < 0) {
            throw new IOException("no-length");
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            int n = in.read(body, read, length - read);
            if (n < 0) {
                throw new IOException("short-body");
            }
            read += n;
        }
        return new String(body).strip();
    }

    private static String reason(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase();
        if (e instanceof java.net.SocketTimeoutException || m.contains("timed out")) {
            return "timeout";
        }
        if (m.contains("refused")) {
            return "refused";
        }
        if (m.contains("reset")) {
            return "reset";
        }
        if (m.contains("unreachable") || m.contains("no route")) {
            return "unreachable";
        }
        return m.replaceAll("[^a-z0-9]+", "-");
    }

    private synchronized void emit(long epochMs, String kind, String result, String detail, long t0, String ip) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        out.println(epochMs + " " + kind + " " + result + " " + detail + " " + ms + " " + ip);
        out.flush();
    }

    private static void sleepQuietly(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
