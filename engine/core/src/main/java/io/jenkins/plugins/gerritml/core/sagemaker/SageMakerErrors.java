package io.jenkins.plugins.gerritml.core.sagemaker;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.Locale;

/** SageMaker reports a missing resource as a ValidationException whose message says it could not be found. */
final class SageMakerErrors {
    private SageMakerErrors() {
    }

    static boolean isNotFound(final AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
                : e.awsErrorDetails().errorMessage().toLowerCase(Locale.ROOT);
        return "ResourceNotFound".equals(code) || "ValidationException".equals(code)
                && (message.contains("could not find") || message.contains("does not exist")
                || message.contains("not found"));
    }

    /** The error's code and message, without request ids or anything from the request. */
    static String describe(final Exception e) {
        if (e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null) {
            AwsServiceException aws = (AwsServiceException) e;
            return aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
