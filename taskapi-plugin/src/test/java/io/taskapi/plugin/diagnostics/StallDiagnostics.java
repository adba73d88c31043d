package io.taskapi.plugin.diagnostics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test fails because a request got no answer in time, prints every thread of this JVM (where the plugin under
 * test runs) with its locks, then lets the failure through. A stall seen once in CI then explains itself. Registered
 * for every test in this module through {@code junit-platform.properties} (extension autodetection).
 */
public final class StallDiagnostics implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure)
            throws Throwable {
        throw report(context, failure);
    }

    private static Throwable report(ExtensionContext context, Throwable failure) {
        if (causedByTimeout(failure)) {
            StringBuilder dump = new StringBuilder("[stall diagnostics] ").append(context.getDisplayName())
                    .append(" got no answer in time; the threads of this JVM:\n");
            for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                dump.append(describe(thread));
            }
            System.out.println(dump);
        }
        return failure;
    }

    private static boolean causedByTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** ThreadInfo.toString() cuts stacks at eight frames; a stall needs all of them. */
    private static String describe(ThreadInfo thread) {
        StringBuilder text = new StringBuilder().append('"').append(thread.getThreadName()).append("\" ")
                .append(thread.getThreadState());
        if (thread.getLockName() != null) {
            text.append(" on ").append(thread.getLockName());
        }
        if (thread.getLockOwnerName() != null) {
            text.append(" owned by \"").append(thread.getLockOwnerName()).append('"');
        }
        text.append('\n');
        for (StackTraceElement frame : thread.getStackTrace()) {
            text.append("    at ").append(frame).append('\n');
        }
        return text.append('\n').toString();
    }
}
