package io.jenkins.plugins.gerritml.core.gerrit;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.gerritml.lab.ChecksTab;
import io.jenkins.plugins.gerritml.lab.GerritServer;
import io.jenkins.plugins.gerritml.lab.LabChange;
import io.jenkins.plugins.gerritml.lab.LabUser;

import java.nio.file.Path;
import java.util.List;

/** The lab's {@link ChecksTab} for the ITests: what the Checks tab shows a user, or what its action did. */
public final class ChecksTabProvider {
    private ChecksTabProvider() {
    }

    public static Path pluginFile() {
        return ChecksTab.pluginFile();
    }

    /** Runs the provider with Node as {@code user}; returns what it printed. */
    public static JsonNode run(final GerritServer gerrit, final LabUser user, final LabChange change,
            final List<String> more) {
        return ChecksTab.fetch(gerrit, user, change, more);
    }
}
