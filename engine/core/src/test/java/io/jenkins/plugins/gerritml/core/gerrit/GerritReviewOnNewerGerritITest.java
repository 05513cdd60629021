package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.lab.OnNewerGerrit;

/** GerritReviewITest's tests against the newer Gerrit line, so a change in Gerrit's answers on votes shows up here. */
@OnNewerGerrit
class GerritReviewOnNewerGerritITest extends GerritReviewITest {
}
