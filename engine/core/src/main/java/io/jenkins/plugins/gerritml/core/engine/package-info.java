/**
 * The engine: one gated run from a Gerrit context to a backend job, with policy, lineage and audit. What the plugin steps and the CLI call.
 */
@DefaultAnnotation(NonNull.class)
package io.jenkins.plugins.gerritml.core.engine;

import edu.umd.cs.findbugs.annotations.DefaultAnnotation;
import edu.umd.cs.findbugs.annotations.NonNull;
