package io.taskapi.examples.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Set;

/** {@code java -jar taskapi-examples.jar …}, which {@code ./taskapi} runs. */
public final class Main {
    /** Commands that are not the agent log warnings only, so that their output stays readable. */
    private static final Set<String> VERBOSE_COMMANDS = Set.of("agent");

    private Main() {}

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        configureLogging(args.length > 0 ? args[0] : "");
        // The writers every command prints with, set on the root (picocli gives them to each subcommand) before
        // anything runs, and flushed before System.exit, which flushes nothing: without this, commands that end with
        // print() rather than println() (node status, job status, alloc status) printed nothing, others lost lines.
        PrintWriter out = writer(System.out);
        PrintWriter err = writer(System.err);
        int code;
        try {
            code = TaskapiCommand.commandLine(System.getenv(), args).setOut(out).setErr(err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
        System.exit(code);
    }

    /**
     * Before anything logs: the CLI's logging configuration, and the level by command.
     *
     * @param command the first argument
     */
    static void configureLogging(String command) {
        System.setProperty("logback.configurationFile", "io/taskapi/examples/cli/logback.xml");
        String level = VERBOSE_COMMANDS.contains(command) ? "INFO" : "WARN";
        if (System.getProperty("taskapi.log.level") == null) {
            System.setProperty("taskapi.log.level", level);
        }
        if (System.getProperty("taskapi.audit.level") == null) {
            System.setProperty("taskapi.audit.level", level);
        }
    }

    private static PrintWriter writer(OutputStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, Charset.defaultCharset()), true);
    }
}
