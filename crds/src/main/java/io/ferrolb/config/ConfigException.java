package io.ferrolb.config;

/**
 * A configuration MetalLB would refuse. The message has the shape of MetalLB's (webhook denials
 * and the "failed to parse the configuration" log); kind, name and field say which object and
 * which field to fix, for events and status conditions.
 */
public final class ConfigException extends Exception {

    private final String kind;
    private final String objectName;
    private final String field;

    public ConfigException(String kind, String objectName, String field, String message) {
        super(message);
        this.kind = kind;
        this.objectName = objectName;
        this.field = field;
    }

    /** {@code IPAddressPool} or {@code L2Advertisement}. */
    public String kind() {
        return kind;
    }

    /** The name of the offending object. */
    public String objectName() {
        return objectName;
    }

    /** The path of the offending field, for example {@code spec.addresses[1]}. */
    public String field() {
        return field;
    }

    /** One line naming object and field before the MetalLB-shaped message. */
    public String describe() {
        return kind + " " + GoText.q(objectName) + " field " + field + ": " + getMessage();
    }
}
