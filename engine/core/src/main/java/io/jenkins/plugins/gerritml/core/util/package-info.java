/**
 * Small helpers with no knowledge of Gerrit or any ML backend.
 */
@DefaultAnnotation(NonNull.class)
package io.jenkins.plugins.gerritml.core.util;

import edu.umd.cs.findbugs.annotations.DefaultAnnotation;
import edu.umd.cs.findbugs.annotations.NonNull;
