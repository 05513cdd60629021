package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.lab.OnNewerGerrit;

/** GerritContextITest's tests against the newer Gerrit line, so a change in Gerrit's answers on stream-events shows up here. */
@OnNewerGerrit
class GerritContextOnNewerGerritITest extends GerritContextITest {
}
