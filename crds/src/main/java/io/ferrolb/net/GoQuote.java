package io.ferrolb.net;

/**
 * Go's {@code %q} / {@code strconv.Quote} for the texts MetalLB's messages quote: a double-quoted
 * string with backslash escapes for quotes, backslashes and control characters.
 */
public final class GoQuote {

    private GoQuote() {
    }

    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u0007' -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\u000b' -> out.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Go's {@code %q} of a string slice: {@code ["a" "b"]}. */
    public static String quoteAll(Iterable<String> texts) {
        StringBuilder out = new StringBuilder("[");
        for (String text : texts) {
            if (out.length() > 1) {
                out.append(' ');
            }
            out.append(quote(text));
        }
        return out.append(']').toString();
    }
}
