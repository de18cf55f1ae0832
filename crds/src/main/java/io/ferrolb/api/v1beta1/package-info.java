/**
 * The {@code metallb.io/v1beta1} API as Java types: IPAddressPool, L2Advertisement and
 * ServiceL2Status, field for field as MetalLB v0.16.1 serves them. The CRD YAML under
 * {@code crds/manifests} and the Helm chart is generated from these classes.
 */
package io.ferrolb.api.v1beta1;
