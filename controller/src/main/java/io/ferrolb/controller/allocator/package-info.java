/**
 * MetalLB's IP allocator, pure: which addresses of which pools a Service may hold, and which it
 * gets. The state is a cache of what Services' statuses say; the caller rebuilds it from them
 * before the first decision. Nothing here talks to Kubernetes.
 */
package io.ferrolb.controller.allocator;
