package io.taskapi.spi.driver;

import static java.util.Objects.requireNonNull;

/**
 * Which task something is about: the coordinates Nomad puts in a workload identity.
 *
 * @param allocationId the allocation's id (a UUID in Nomad)
 * @param namespace the job's namespace
 * @param jobId the job id a workload identity carries (the parent job's id for periodic and dispatch children)
 * @param group the task group
 * @param taskName the task's name within its group
 */
public record TaskRef(String allocationId, String namespace, String jobId, String group, String taskName) {
    /**
     * Checks that every part is a non-blank string without path separators or control characters.
     *
     * @param allocationId see the record component of that name
     * @param namespace see the record component of that name
     * @param jobId see the record component of that name
     * @param group see the record component of that name
     * @param taskName see the record component of that name
     */
    public TaskRef {
        allocationId = requireName(allocationId, "allocationId");
        namespace = requireName(namespace, "namespace");
        jobId = requireName(jobId, "jobId");
        group = requireName(group, "group");
        taskName = requireName(taskName, "taskName");
    }

    private static String requireName(String value, String what) {
        requireNonNull(value, what + " is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '\\' || c == 0 || Character.isISOControl(c)) {
                throw new IllegalArgumentException(what + " has a path separator or control character");
            }
        }
        return value;
    }
}
