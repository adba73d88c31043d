package io.taskapi.examples.jobspec;

import java.util.regex.Pattern;

/** The name rules a job file and the API's JSON share. */
final class Names {
    /** Job, group and task names: they become directory names, so no separators and no dot-only names. */
    static final Pattern OBJECT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    /** Nomad's namespace names. */
    static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9-]{1,128}");
    /** Environment variable names a process can be given. */
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    /** Driver names, as {@code TaskDriver.name()} gives them. */
    static final Pattern DRIVER = Pattern.compile("[a-z0-9_-]{1,64}");
    /** Host user names (what {@code useradd} accepts, roughly). */
    static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    static final String OBJECT_NAME_RULE = "letters, digits, _ . - (starting with a letter or digit), at most 128";

    private Names() {}
}
