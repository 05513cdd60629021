package io.jenkins.plugins.gerritml.core.util;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.net.URI;

class FormatsTest {
    @Test
    void shouldAcceptGerritLabelNamesOnly() {
        SoftAssertions softly = new SoftAssertions();
        for (String label : new String[] {"Verified", "Model-Verified", "Code-Review", "L2"}) {
            softly.assertThat(Formats.isGerritLabel(label)).as(label).isTrue();
        }
        for (String label : new String[] {"", "-Verified", "Model Verified", "Verified=1", "Ünicode", null}) {
            softly.assertThat(Formats.isGerritLabel(label)).as(String.valueOf(label)).isFalse();
        }
        softly.assertAll();
    }

    @Test
    void shouldAcceptRegionsOfEveryPartition() {
        SoftAssertions softly = new SoftAssertions();
        for (String region : new String[] {"eu-west-1", "us-gov-west-1", "us-isob-east-1", "cn-north-1",
                "ap-southeast-5"}) {
            softly.assertThat(Formats.isAwsRegion(region)).as(region).isTrue();
        }
        for (String region : new String[] {"", "eu-west", "EU-WEST-1", "eu-west-1a", "euwest1", null}) {
            softly.assertThat(Formats.isAwsRegion(region)).as(String.valueOf(region)).isFalse();
        }
        softly.assertAll();
    }

    @Test
    void shouldAcceptRoleArnsOfEveryPartitionWithPaths() {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(Formats.isIamRoleArn("arn:aws:iam::123456789012:role/SageMakerExecution")).isTrue();
        softly.assertThat(Formats.isIamRoleArn("arn:aws-us-gov:iam::123456789012:role/ml/train@team")).isTrue();
        softly.assertThat(Formats.isIamRoleArn("arn:aws:iam::12345:role/x")).as("short account").isFalse();
        softly.assertThat(Formats.isIamRoleArn("arn:aws:iam::123456789012:user/x")).as("a user").isFalse();
        softly.assertThat(Formats.isIamRoleArn(null)).isFalse();
        softly.assertAll();
    }

    @Test
    void shouldAcceptHttpUrlsWithAHostAndNoUserInfo() {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(Formats.isHttpUrl("https://review.example.com/")).isTrue();
        softly.assertThat(Formats.isHttpUrl(" http://127.0.0.1:8080/api ")).isTrue();
        softly.assertThat(Formats.isHttpUrl("https://admin:secret@review.example.com/")).as("user info").isFalse();
        softly.assertThat(Formats.isHttpUrl("ftp://review.example.com/")).isFalse();
        softly.assertThat(Formats.isHttpUrl("review.example.com")).isFalse();
        softly.assertThat(Formats.isHttpUrl("http://exa mple.com/")).isFalse();
        softly.assertThat(Formats.isHttpUrl(URI.create("https:///path"))).as("no host").isFalse();
        softly.assertAll();
    }
}
