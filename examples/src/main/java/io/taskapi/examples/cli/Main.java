package io.taskapi.examples.cli;

import java.util.Set;
import picocli.CommandLine;

/** {@code java -jar taskapi-examples.jar …}, which {@code ./taskapi} runs. */
public final class Main {
    /** Commands that are not the agent log warnings only, so that their output stays readable. */
    private static final Set<String> VERBOSE_COMMANDS = Set.of("agent");

    private Main() {}

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        // Before anything logs: the CLI's logging configuration, and the level by command.
        System.setProperty("logback.configurationFile", "io/taskapi/examples/cli/logback.xml");
        String level = args.length > 0 && VERBOSE_COMMANDS.contains(args[0]) ? "INFO" : "WARN";
        if (System.getProperty("taskapi.log.level") == null) {
            System.setProperty("taskapi.log.level", level);
        }
        if (System.getProperty("taskapi.audit.level") == null) {
            System.setProperty("taskapi.audit.level", level);
        }
        CommandLine cli = new CommandLine(new TaskapiCommand(System.getenv()));
        int code = cli.execute(args);
        // picocli's writers buffer: System.exit does not flush them, and commands printed nothing or lost their end.
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(code);
    }
}
