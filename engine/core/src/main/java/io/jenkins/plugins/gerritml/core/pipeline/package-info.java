/**
 * What every backend shares: waiting on remote work without a thread per job, lineage, audit and policy.
 */
@DefaultAnnotation(NonNull.class)
package io.jenkins.plugins.gerritml.core.pipeline;

import edu.umd.cs.findbugs.annotations.DefaultAnnotation;
import edu.umd.cs.findbugs.annotations.NonNull;
