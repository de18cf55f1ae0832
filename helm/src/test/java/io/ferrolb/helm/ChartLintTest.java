package io.ferrolb.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict}: warnings fail too. */
class ChartLintTest {

    @Test
    void theChartLintsCleanWithItsDefaults() {
        LintResult result = Chart.lint("");

        assertThat(result.isFailed()).as("lint: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.startsWith("[WARNING]") || m.startsWith("[ERROR]"));
    }

    @Test
    void theChartLintsCleanWithNonDefaultValues() {
        LintResult result = Chart.lint(Chart.NON_DEFAULT);

        assertThat(result.isFailed()).as("lint: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.startsWith("[WARNING]") || m.startsWith("[ERROR]"));
    }

    @Test
    void lintReportsValuesTheSchemaRejects() {
        LintResult result = Chart.lint("speaker:\n  handoff: nftables\n");

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("handoff");
    }
}
