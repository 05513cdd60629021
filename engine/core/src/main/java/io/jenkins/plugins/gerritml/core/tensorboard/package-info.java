/**
 * TensorBoard event files: reader, metric gates and comparison with a baseline.
 */
@DefaultAnnotation(NonNull.class)
package io.jenkins.plugins.gerritml.core.tensorboard;

import edu.umd.cs.findbugs.annotations.DefaultAnnotation;
import edu.umd.cs.findbugs.annotations.NonNull;
