package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.lab.OnNewerGerrit;

/** SubmitRequirementsITest's tests against the newer Gerrit line, so a change in Gerrit's answers on the approval gate shows up here. */
@OnNewerGerrit
class SubmitRequirementsOnNewerGerritITest extends SubmitRequirementsITest {
}
