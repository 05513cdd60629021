package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.CheckForNull;

/**
 * An error body: FastAPI's {@code {"detail": "..."}} or {@code {"detail": [{"loc": [...], "msg": "..."}]}} for
 * request validation, Prefect's {@code {"exception_message": "..."}}.
 */
public class ErrorResponse {
    @CheckForNull public Object detail;
    @CheckForNull public String exceptionMessage;
    @CheckForNull public Object exceptionDetail;
}
