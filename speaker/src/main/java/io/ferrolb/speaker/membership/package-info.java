/**
 * The speaker's membership: which speakers are alive, from scalecube-cluster (SWIM) over TCP.
 *
 * <ul>
 *   <li>{@link io.ferrolb.speaker.membership.Membership}: the member (alias = node name, bound to the
 *       host address, port 7946), its view as node names, a listener called on our own thread, the
 *       join gate, a graceful leave on close;
 *   <li>{@link io.ferrolb.speaker.membership.MessageSealer} and
 *       {@link io.ferrolb.speaker.membership.SealedMessageCodec}: every transport frame is AES-256-GCM
 *       sealed under a key derived from the membership Secret, so a process without the Secret can
 *       neither join nor change a view;
 *   <li>{@link io.ferrolb.speaker.membership.JoinGate}: pure rules for "joined enough to announce";
 *   <li>{@link io.ferrolb.speaker.membership.PeerSource}: the seam through which the speaker loop
 *       lists the speaker Pods (no Kubernetes client here);
 *   <li>{@link io.ferrolb.speaker.membership.SwimTimers}: the timer profiles, measured in
 *       {@code docs/benchmarks.md}.
 * </ul>
 */
package io.ferrolb.speaker.membership;
