package io.ferrolb.speaker.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner over a fake {@code /sys/class/net}: flags, carrier, enslavement, excludes. */
class LinkScannerTest {

    @TempDir
    Path sys;

    private void link(String name, String flags, String carrier, boolean enslaved) throws IOException {
        Path dir = Files.createDirectories(sys.resolve(name));
        Files.writeString(dir.resolve("flags"), flags + "\n");
        if (carrier != null) {
            Files.writeString(dir.resolve("carrier"), carrier + "\n");
        }
        if (enslaved) {
            Files.createDirectories(dir.resolve("master"));
        }
    }

    @Test
    void onlyUpBroadcastLinksWithCarrierThatAreNotExcludedOrEnslavedAreEligible() throws IOException {
        link("eth0", "0x1003", "1", false);
        link("eth1", "0x1003", "0", false);      // up, no carrier
        link("eth2", "0x1002", null, false);     // down
        link("eth3", "0x1003", null, false);     // carrier unreadable: counts as present
        link("eth4", "0x1003", "1", true);       // enslaved to a bond or bridge
        link("lo", "0x9", "1", false);           // loopback: excluded by name and not broadcast
        link("veth12", "0x1003", "1", false);    // excluded by the default patterns
        LinkScanner scanner = new LinkScanner(sys, new InterfaceRules(InterfaceRules.DEFAULT_EXCLUDES));
        assertThat(scanner.eligible()).containsExactly("eth0", "eth3");
    }

    @Test
    void refreshRereadsAtOnceWhileEligibleKeepsItsCache() throws IOException {
        link("eth0", "0x1003", "1", false);
        LinkScanner scanner = new LinkScanner(sys, new InterfaceRules(InterfaceRules.DEFAULT_EXCLUDES));
        assertThat(scanner.eligible()).containsExactly("eth0");
        Files.writeString(sys.resolve("eth0").resolve("carrier"), "0\n");
        assertThat(scanner.eligible()).as("cached for ten seconds").containsExactly("eth0");
        assertThat(scanner.refresh()).isEmpty();
        assertThat(scanner.eligible()).isEmpty();
    }
}
