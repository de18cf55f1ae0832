/**
 * The translation of the raw metallb.io objects (IPAddressPools, L2Advertisements) into one
 * immutable, validated {@link io.ferrolb.config.Config}, rejecting what MetalLB's config parser and
 * webhook reject, with messages of the same shape. Pure: no client, no I/O.
 */
package io.ferrolb.config;
