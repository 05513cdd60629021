/**
 * Gerrit: the build's change context, the REST client that reads reviews and posts votes, and the approval gate.
 */
@DefaultAnnotation(NonNull.class)
package io.jenkins.plugins.gerritml.core.gerrit;

import edu.umd.cs.findbugs.annotations.DefaultAnnotation;
import edu.umd.cs.findbugs.annotations.NonNull;
