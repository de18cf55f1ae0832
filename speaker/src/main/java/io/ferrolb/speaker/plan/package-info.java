/**
 * The speaker's planner: a pure function from one {@link io.ferrolb.speaker.plan.Snapshot} of its
 * inputs (configuration, Services, EndpointSlices, Nodes, the membership view, this node's
 * interfaces) to the {@link io.ferrolb.speaker.plan.Plan} of what this node must announce, with
 * MetalLB's reason for every Service it must not (docs/compatibility.md §3.2, §3.4, §3.8). Also the
 * guard that keeps a stale configuration when a new one would orphan an announced IP
 * (docs/compatibility.md §2.6).
 *
 * <p>Pure: imports only the JDK, the fabric8 model types and ferrolb's pure packages; no I/O, no
 * threads, no clock. The speaker's loop owns everything stateful (what is currently announced, the
 * {@code serviceDeleted} and {@code loadBalancerIPChanged} withdrawals, events, metrics).
 */
package io.ferrolb.speaker.plan;
