package io.jenkins.plugins.gerritml.core.sagemaker;

import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;
import org.junit.jupiter.api.Test;

class ValueObjectsTest {
    @Test
    void shouldImplementValueEquality() {
        EqualsVerifier.forClasses(InputChannel.class, MetricDefinition.class, VpcConfig.class,
                TrainingJobStatus.class, EndpointState.class, GateDecision.class, BaseCredentials.class,
                AssumeRoleSettings.class, TrainingSpec.class, TrainingContext.class, TrainingResult.class,
                DeploySpec.class, DeployResult.class).suppress(Warning.NULL_FIELDS).verify();
    }
}
