package io.jenkins.plugins.gerritml.core.prefect;

import io.jenkins.plugins.gerritml.core.pipeline.WatchedJob;
import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;
import org.junit.jupiter.api.Test;

import java.time.Instant;

class PrefectValuesTest {
    @Test
    void shouldCompareValueObjectsByValue() {
        for (Class<?> type : new Class<?>[] {PrefectEndpoint.class, DeploymentRef.class, FlowRunRequest.class,
                FlowRunState.class, FlowRun.class, CancelResult.class, FlowRunArtifact.class, FlowRunResult.class}) {
            EqualsVerifier.forClass(type).suppress(Warning.NULL_FIELDS).verify();
        }
        EqualsVerifier.forClass(StartedFlowRun.class).suppress(Warning.NULL_FIELDS)
                .withPrefabValues(WatchedJob.class, WatchedJob.of("a", Instant.EPOCH, Instant.EPOCH),
                        WatchedJob.of("b", Instant.EPOCH, Instant.EPOCH))
                .verify();
    }
}
