/**
 * AWS SageMaker training and promotion through the AWS SDK for Java v2.
 */
@DefaultAnnotation(NonNull.class)
package io.jenkins.plugins.gerritml.core.sagemaker;

import edu.umd.cs.findbugs.annotations.DefaultAnnotation;
import edu.umd.cs.findbugs.annotations.NonNull;
