package io.jenkins.plugins.gerritml.config;

import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.gerritml.core.pipeline.LostReviewPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The global configuration as JCasC applies and exports it, and as the form saves it. */
@WithJenkins
class GerritMlConfigurationTest {
    private static final String YAML = String.join("\n",
            "unclassified:",
            "  gerritMl:",
            "    gerritUrl: \"https://review.example.com/\"",
            "    gerritCredentialsId: \"gerrit-bot\"",
            "    prefectServers:",
            "      - name: \"prefect-prod\"",
            "        apiUrl: \"https://prefect.example.com/api\"",
            "        credentialsId: \"prefect-basic-auth\"",
            "    awsRegion: \"eu-west-1\"",
            "    awsCredentialsId: \"aws-ml-ci\"",
            "    awsRoleArn: \"arn:aws:iam::123456789012:role/ml-ci\"",
            "    awsExternalId: \"gerrit-ml\"",
            "    lineageKeyCredentialsId: \"ml-lineage-2026\"",
            "    lostReview: \"unstable\"",
            "    keepOnTrivialRebase: true",
            "    stopGroups: \"ML Approvers\"",
            "");

    @Test
    void shouldApplyAndExportTheAdminGuidesYaml(final JenkinsRule r, @TempDir final Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("jenkins.yaml"), YAML);

        ConfigurationAsCode.get().configure(yaml.toString());

        GerritMlConfiguration config = GerritMlConfiguration.get();
        assertThat(config.getGerritUrl()).isEqualTo("https://review.example.com/");
        assertThat(config.getPrefectServers()).singleElement().satisfies(server -> {
            assertThat(server.getName()).isEqualTo("prefect-prod");
            assertThat(server.getApiUrl()).isEqualTo("https://prefect.example.com/api");
            assertThat(server.getCredentialsId()).isEqualTo("prefect-basic-auth");
        });
        assertThat(config.getAwsRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/ml-ci");
        assertThat(config.lostReviewPolicy()).isEqualTo(LostReviewPolicy.UNSTABLE);
        assertThat(config.isKeepOnTrivialRebase()).isTrue();
        assertThat(config.stopGroupList()).containsExactly("ML Approvers");

        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        ConfigurationAsCode.get().export(exported);
        String out = exported.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("gerritMl:", "gerritUrl: \"https://review.example.com/\"",
                "name: \"prefect-prod\"", "apiUrl: \"https://prefect.example.com/api\"", "awsRegion: \"eu-west-1\"",
                "lineageKeyCredentialsId: \"ml-lineage-2026\"", "lostReview: \"UNSTABLE\"",
                "keepOnTrivialRebase: true", "stopGroups: \"ML Approvers\"");

        // What was exported applies again to the same configuration.
        config.setPrefectServers(List.of());
        config.setKeepOnTrivialRebase(false);
        config.setStopGroups("");
        Path again = Files.writeString(dir.resolve("exported.yaml"), out);
        ConfigurationAsCode.get().configure(again.toString());
        assertThat(GerritMlConfiguration.get().getPrefectServers()).extracting(PrefectServer::getName)
                .containsExactly("prefect-prod");
        assertThat(GerritMlConfiguration.get().isKeepOnTrivialRebase()).isTrue();
        assertThat(GerritMlConfiguration.get().stopGroupList()).containsExactly("ML Approvers");
    }

    @Test
    void shouldKeepTheSettingsThroughTheFormAndDeleteTheLastPrefectServer(final JenkinsRule r) throws Exception {
        GerritMlConfiguration config = GerritMlConfiguration.get();
        config.setGerritUrl("https://review.example.com/");
        config.setAwsRegion("eu-west-1");
        config.setPrefectServers(List.of(new PrefectServer("prefect-prod", "https://prefect.example.com/api")));
        config.setKeepOnTrivialRebase(true);
        config.setStopGroups("ML Approvers\nML Ops, Release");

        r.configRoundtrip();
        assertThat(GerritMlConfiguration.get().isKeepOnTrivialRebase()).isTrue();
        assertThat(GerritMlConfiguration.get().stopGroupList()).containsExactly("ML Approvers", "ML Ops", "Release");
        assertThat(GerritMlConfiguration.get().getGerritUrl()).isEqualTo("https://review.example.com/");
        assertThat(GerritMlConfiguration.get().getAwsRegion()).isEqualTo("eu-west-1");
        assertThat(GerritMlConfiguration.get().getPrefectServers()).extracting(PrefectServer::getName)
                .containsExactly("prefect-prod");

        // Delete the only server in the form: the submitted form then has no prefectServers key at all.
        org.htmlunit.html.HtmlPage page = r.createWebClient().goTo("configure");
        List<?> chunks = page.getByXPath("//div[contains(@class, 'repeated-chunk') and @name='prefectServers']");
        assertThat(chunks).hasSize(1);
        ((org.htmlunit.html.DomNode) chunks.get(0)).remove();
        r.submit(page.getFormByName("config"));
        assertThat(GerritMlConfiguration.get().getPrefectServers()).isEmpty();
        assertThat(GerritMlConfiguration.get().getGerritUrl()).isEqualTo("https://review.example.com/");
    }
}
