/**
 * What the controller does with one Service, as MetalLB's controller does it: re-validate the
 * addresses its status holds, honour explicit requests, allocate, and decide the status, the
 * pool annotation and the events to write. Pure: reads fabric8 model objects, writes nothing.
 */
package io.ferrolb.controller.convergence;
