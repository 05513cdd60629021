/**
 * Prefect flow runs through Prefect's REST API (Cloud and self-hosted).
 */
@DefaultAnnotation(NonNull.class)
package io.jenkins.plugins.gerritml.core.prefect;

import edu.umd.cs.findbugs.annotations.DefaultAnnotation;
import edu.umd.cs.findbugs.annotations.NonNull;
