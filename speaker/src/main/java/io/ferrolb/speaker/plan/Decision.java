package io.ferrolb.speaker.plan;

/**
 * What this node must do about one Service: announce it ({@link Announcement}) or not
 * ({@link NotAnnounced}, with the reason).
 */
public sealed interface Decision permits Announcement, NotAnnounced {

    ServiceKey service();
}
