package io.jenkins.plugins.gerritml.core.gerrit;

import io.jenkins.plugins.gerritml.lab.OnNewerGerrit;

/** ChecksTabITest against the newer Gerrit line: how it serves web plugins and details message authors. */
@OnNewerGerrit
class ChecksTabOnNewerGerritITest extends ChecksTabITest {
}
