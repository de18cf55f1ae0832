package io.ferrolb.speaker.membership;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemberTableTest {

    private final MemberTable table = new MemberTable("n1");

    @Test
    void selfIsAlwaysAliveButNotAPeerEndpoint() {
        assertThat(table.aliveNames()).containsExactly("n1");
        assertThat(table.aliveEndpoints()).isEmpty();
    }

    @Test
    void addedMembersAreAlive() {
        table.added("id2", "n2", "10.0.0.2:7946");
        table.added("id3", "n3", "10.0.0.3:7946");

        assertThat(table.aliveNames()).containsExactly("n1", "n2", "n3");
        assertThat(table.aliveEndpoints()).containsExactly("10.0.0.2:7946", "10.0.0.3:7946");
    }

    @Test
    void aLeavingMemberIsGoneAtOnceAndItsRemovalIsALeave() {
        table.added("id2", "n2", "10.0.0.2:7946");
        table.leaving("id2", "n2", "10.0.0.2:7946");

        assertThat(table.aliveNames()).containsExactly("n1");
        assertThat(table.aliveEndpoints()).isEmpty();
        assertThat(table.removed("id2")).as("left gracefully").isTrue();
    }

    @Test
    void aRemovedMemberThatWasNotLeavingFailed() {
        table.added("id2", "n2", "10.0.0.2:7946");

        assertThat(table.removed("id2")).isFalse();
        assertThat(table.aliveNames()).containsExactly("n1");
    }

    @Test
    void aRestartedSpeakerKeepsItsNameAliveWhileTheOldIdIsRemoved() {
        table.added("old", "n2", "10.0.0.2:7946");
        table.added("new", "n2", "10.0.0.2:7946");
        table.removed("old");

        assertThat(table.aliveNames()).containsExactly("n1", "n2");
        assertThat(table.aliveEndpoints()).containsExactly("10.0.0.2:7946");
    }

    @Test
    void aFalselyRemovedMemberComesBackWhenReAdded() {
        table.added("id2", "n2", "10.0.0.2:7946");
        table.removed("id2");
        table.added("id2", "n2", "10.0.0.2:7946");

        assertThat(table.aliveNames()).containsExactly("n1", "n2");
    }
}
