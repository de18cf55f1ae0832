/**
 * MetalLB's Layer-2 election ({@code ShouldAnnounce} in {@code speaker/layer2_controller.go};
 * docs/compatibility.md §3.2 steps 4–6): every speaker ranks the same candidate nodes
 * the same way, so they agree on one announcing node per Service without talking to each other.
 * Pure: no I/O, no clock, no Kubernetes client.
 */
package io.ferrolb.speaker.election;
