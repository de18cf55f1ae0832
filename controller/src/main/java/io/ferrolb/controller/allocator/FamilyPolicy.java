package io.ferrolb.controller.allocator;

/** A Service's {@code spec.ipFamilyPolicy}; unset means SingleStack. */
public enum FamilyPolicy {
    SINGLE_STACK, PREFER_DUAL_STACK, REQUIRE_DUAL_STACK;

    /** From the API's spelling; null or unknown values mean SingleStack, as in MetalLB. */
    public static FamilyPolicy fromApi(String value) {
        if ("PreferDualStack".equals(value)) {
            return PREFER_DUAL_STACK;
        }
        if ("RequireDualStack".equals(value)) {
            return REQUIRE_DUAL_STACK;
        }
        return SINGLE_STACK;
    }
}
