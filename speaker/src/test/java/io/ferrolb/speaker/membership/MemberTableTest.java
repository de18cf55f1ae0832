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
    void departedAreTheLeavingAndTheCrashedNotAliveUnderAnotherId() {
        table.added("id2", "n2", "10.0.0.2:7946");
        table.added("id3", "n3", "10.0.0.3:7946");
        table.added("id4", "n4", "10.0.0.4:7946");
        table.leaving("id2", "n2", "10.0.0.2:7946");
        table.crashed("id3", 1);
        assertThat(table.departedNames()).containsExactly("n2", "n3");

        table.added("id3b", "n3", "10.0.0.3:7946");
        table.removed("id2");
        assertThat(table.departedNames()).as("n3 restarted, n2 removed by SWIM").isEmpty();
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

    @Test
    void aCrashVerdictThatSwimDoesNotConfirmExpires() {
        table.added("id2", "n2", "10.0.0.2:7946");
        table.added("id3", "n3", "10.0.0.3:7946");
        assertThat(table.crashed("id2", 1_000)).isTrue();
        assertThat(table.aliveNames()).containsExactly("n1", "n3");

        assertThat(table.expireCrashes(1_000 + java.time.Duration.ofMillis(2_999).toNanos(),
                java.time.Duration.ofSeconds(3))).as("not yet").isEmpty();
        assertThat(table.expireCrashes(1_000 + java.time.Duration.ofSeconds(3).toNanos(),
                java.time.Duration.ofSeconds(3))).containsExactly("id2");
        assertThat(table.aliveNames()).as("SWIM still has it: alive again").containsExactly("n1", "n2", "n3");
        assertThat(table.removed("id2")).as("a later removal is a failure, not a leave").isFalse();
    }

    @Test
    void aConfirmedCrashDoesNotComeBack() {
        table.added("id2", "n2", "10.0.0.2:7946");
        table.crashed("id2", 0);
        assertThat(table.removed("id2")).as("already gone").isTrue();
        assertThat(table.expireCrashes(Long.MAX_VALUE / 2, java.time.Duration.ofSeconds(3))).isEmpty();
        assertThat(table.aliveNames()).containsExactly("n1");
    }
}
