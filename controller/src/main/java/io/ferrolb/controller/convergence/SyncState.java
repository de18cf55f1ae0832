package io.ferrolb.controller.convergence;

/** What handling one Service asks of the controller afterwards. */
public enum SyncState {
    /** Done. */
    SUCCESS,
    /** Could not converge (no pool, no address...); retried when something else changes. */
    ERROR_NO_RETRY,
    /** Other Services may now fit (an address was freed, a sharing key changed): handle them all again. */
    REPROCESS_ALL
}
