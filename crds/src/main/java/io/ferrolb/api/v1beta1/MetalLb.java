package io.ferrolb.api.v1beta1;

/** The API group and version every type of this package belongs to. */
public final class MetalLb {
    public static final String GROUP = "metallb.io";
    public static final String VERSION = "v1beta1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    private MetalLb() {
    }
}
