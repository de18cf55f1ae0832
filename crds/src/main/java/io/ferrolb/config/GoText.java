package io.ferrolb.config;

import io.ferrolb.net.GoQuote;

/** Short names for Go's {@code %q}, used by every message of this package. */
final class GoText {

    private GoText() {
    }

    static String q(String text) {
        return GoQuote.quote(text == null ? "" : text);
    }

    static String q(Object value) {
        return q(String.valueOf(value));
    }
}
