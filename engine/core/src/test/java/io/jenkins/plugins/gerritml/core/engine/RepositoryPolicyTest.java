package io.jenkins.plugins.gerritml.core.engine;

import io.jenkins.plugins.gerritml.lab.LabPolicy;
import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepositoryPolicyTest {
    private static final String SOURCE = ".gerrit-ml.yaml on ml-demo master";

    @Test
    void shouldReadDatasetsAndRiskRules() {
        RepositoryPolicy policy = RepositoryPolicy.parse(LabPolicy.POLICY, SOURCE);

        assertThat(policy.restrictsDatasets()).isTrue();
        assertThat(policy.groupsAllowing("s3://ml-data/approved/images/")).containsExactly("ML Approvers");
        assertThat(policy.groupsAllowing("s3://ml-data/approved-evil/images/")).isEmpty();
        assertThat(policy.groupsAllowing("s3://ml-data/restricted/")).containsExactly("Data Stewards");
        assertThat(policy.getRiskRules()).containsExactly(
                RiskRule.valueOf("production deploys", List.of("deploy/prod/**"), "Code-Review", 1, "Data Stewards"),
                RiskRule.valueOf("training data", List.of("data/**"), "", 1, "ML Approvers"));
    }

    @Test
    void shouldTreatAnEmptyOrMissingPolicyAsUnrestricted() {
        assertThat(RepositoryPolicy.parse("", SOURCE).restrictsDatasets()).isFalse();
        assertThat(RepositoryPolicy.none().getRiskRules()).isEmpty();
        assertThat(RepositoryPolicy.parse("datasets: {}\n", SOURCE).restrictsDatasets()).isTrue();
    }

    @Test
    void shouldNameTheBranchsModelPackageGroup() {
        assertThat(RepositoryPolicy.parse(LabPolicy.POLICY + "modelPackageGroup: churn-models\n", SOURCE)
                .getModelPackageGroup()).isEqualTo("churn-models");
        assertThat(RepositoryPolicy.parse(LabPolicy.POLICY, SOURCE).getModelPackageGroup()).isEmpty();
        assertThat(RepositoryPolicy.none().getModelPackageGroup()).isEmpty();
    }

    @Test
    void shouldRefuseMalformedPoliciesNamingTheField() {
        assertThatThrownBy(() -> RepositoryPolicy.parse("dataset:\n  x: [s3://a/]\n", SOURCE))
                .isInstanceOf(PolicyException.class)
                .hasMessage(SOURCE + ": unknown key 'dataset' (known: datasets, modelPackageGroup, risky, version); a "
                        + "misspelt section would silently allow everything");
        assertThatThrownBy(() -> RepositoryPolicy.parse("modelPackageGroup: churn_models\n", SOURCE))
                .isInstanceOf(PolicyException.class).hasMessageContaining("modelPackageGroup 'churn_models' is not a "
                        + "SageMaker model package group name");
        assertThatThrownBy(() -> RepositoryPolicy.parse("datasets:\n  ML: 3\n", SOURCE))
                .hasMessageContaining("datasets.ML must be a list of dataset URI prefixes");
        assertThatThrownBy(() -> RepositoryPolicy.parse("risky:\n  - paths: [a/**]\n", SOURCE))
                .hasMessageContaining("risky[0]: risky rule 'rule 1' requires nothing");
        assertThatThrownBy(() -> RepositoryPolicy.parse("risky:\n  - paths: [a/**]\n    lable: X\n", SOURCE))
                .hasMessageContaining("risky[0]: unknown key 'lable'");
        assertThatThrownBy(() -> RepositoryPolicy.parse("risky:\n  - paths: [a/**]\n    label: X\n    value: 3\n",
                SOURCE)).hasMessageContaining("value must be +1 or +2, was 3");
        assertThatThrownBy(() -> RepositoryPolicy.parse("a: [", SOURCE)).hasMessageStartingWith(SOURCE
                + " is not valid YAML");
        assertThatThrownBy(() -> RepositoryPolicy.parse("!!java.io.File [/etc]", SOURCE))
                .isInstanceOf(PolicyException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void shouldMatchGlobsAcrossDirectories() {
        RiskRule rule = RiskRule.valueOf("prod", List.of("deploy/prod/**", "*.tf"), "", 1, "Ops");

        assertThat(rule.matching(List.of("deploy/prod/a.yaml", "deploy/prod/x/y/z.yaml", "deploy/staging/a.yaml",
                "main.tf", "infra/main.tf", "deploy/prod"))).containsExactly("deploy/prod/a.yaml",
                "deploy/prod/x/y/z.yaml", "main.tf");
        assertThatIllegalArgumentException().isThrownBy(() -> RiskRule.valueOf("bad", List.of("a/[b"), "", 1, "G"))
                .withMessageContaining("is not a valid glob");
    }

    @Test
    void shouldRefuseDatasetUrisThatCouldEscapeAPrefix() {
        assertThat(PolicyGate.validateDatasets(List.of(" s3://a/b/ ", "prefect://flow/param"))).containsExactly(
                "s3://a/b/", "prefect://flow/param");
        assertThatIllegalArgumentException().isThrownBy(() -> PolicyGate.validateDatasets(List.of("s3://a/b/../c")))
                .withMessageContaining("'s3://a/b/../c' has . or .. segments");
        assertThatIllegalArgumentException().isThrownBy(() -> PolicyGate.validateDatasets(List.of("s3://a/", " ")))
                .withMessageContaining("dataset 2 is blank");
    }

    @Test
    void shouldObeyEqualsContracts() {
        for (Class<?> type : List.of(RiskRule.class, RepositoryPolicy.class, GateResult.class)) {
            EqualsVerifier.forClass(type).suppress(Warning.NULL_FIELDS).verify();
        }
    }
}
