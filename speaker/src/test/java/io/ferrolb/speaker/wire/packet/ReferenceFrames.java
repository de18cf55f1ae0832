package io.ferrolb.speaker.wire.packet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The frames of {@code wire/reference-frames.txt}, captured from arping, ndisc6 and the kernel. */
final class ReferenceFrames {

    private static final Map<String, byte[]> FRAMES = load();

    private ReferenceFrames() {
    }

    static byte[] get(String name) {
        byte[] frame = FRAMES.get(name);
        if (frame == null) {
            throw new IllegalArgumentException("no reference frame " + name);
        }
        return frame.clone();
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    private static Map<String, byte[]> load() {
        try (InputStream in = ReferenceFrames.class.getResourceAsStream("/wire/reference-frames.txt")) {
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.strip().split(" ", 2);
                    out.put(parts[0], hex(parts[1]));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
