package io.ferrolb.config;

import java.util.regex.Pattern;

/** Kubernetes' label key and value syntax (qualified names, DNS-1123 subdomain prefixes). */
final class LabelSyntax {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int NAME_MAX = 63;
    private static final int PREFIX_MAX = 253;

    private LabelSyntax() {
    }

    static void checkKey(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > PREFIX_MAX || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                throw new IllegalArgumentException("invalid label key " + GoText.q(key)
                        + ": prefix part must be a lowercase DNS subdomain of at most 253 characters");
            }
        }
        if (name.isEmpty() || name.length() > NAME_MAX || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid label key " + GoText.q(key)
                    + ": name part must be at most 63 alphanumeric characters, '-', '_' or '.', "
                    + "starting and ending with an alphanumeric character");
        }
    }

    static void checkValue(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("invalid label value for key " + GoText.q(key) + ": null");
        }
        if (!value.isEmpty() && (value.length() > NAME_MAX || !NAME.matcher(value).matches())) {
            throw new IllegalArgumentException("invalid label value " + GoText.q(value) + " for key " + GoText.q(key)
                    + ": must be empty or at most 63 alphanumeric characters, '-', '_' or '.', "
                    + "starting and ending with an alphanumeric character");
        }
    }
}
