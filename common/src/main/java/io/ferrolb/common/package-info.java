/**
 * Runtime plumbing shared by the controller and the speaker: flags, the Kubernetes client, the
 * ops HTTP server and event recording. No load-balancing logic.
 */
package io.ferrolb.common;
