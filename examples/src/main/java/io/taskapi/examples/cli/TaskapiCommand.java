package io.taskapi.examples.cli;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code taskapi}: the root command. It carries the process environment ({@code NOMAD_ADDR}, {@code NOMAD_TOKEN}…)
 * as a map, so that an in-process run (the demo, a test) can give commands an environment of its own.
 */
@Command(name = "taskapi", mixinStandardHelpOptions = true, version = "taskapi 0.1.0",
        description = "Run a Task API agent and talk to it, the way Nomad's CLI does.")
public final class TaskapiCommand implements Runnable {
    /** The subcommands, in the order usage lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(AgentCommand.class, JobCommands.class, AllocCommands.class,
            NodeCommands.class, AclCommands.class, LoginCommand.class, VarCommands.class, DemoCommand.class,
            UiProxyCommand.class);

    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    /** @param environment the variables commands read ({@code NOMAD_ADDR}, {@code NOMAD_TOKEN}, …) */
    public TaskapiCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    /**
     * The command line for these arguments. picocli builds the model of every command it is given by reflection, a
     * large part of a CLI call's start-up; so when the first argument names a subcommand, only that one is built.
     * Anything else (no argument, {@code -h}, a typo) gets them all, for the usage and picocli's suggestions.
     *
     * @param environment the variables commands read
     * @param args the command line
     * @return the command line to execute them with
     */
    public static CommandLine commandLine(Map<String, String> environment, String... args) {
        CommandLine cli = new CommandLine(new TaskapiCommand(environment));
        List<Class<?>> named = args.length == 0 ? List.of()
                : SUBCOMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(args[0])).toList();
        (named.isEmpty() ? SUBCOMMANDS : named).forEach(cli::addSubcommand);
        // Nomad's CLI has no @-files: "-config @file" is the command's own (an auth method's config file).
        cli.setExpandAtFiles(false);
        // As Nomad's flags: what follows the allocation is the command's, "-c" included (sh -c '…').
        Optional.ofNullable(cli.getSubcommands().get("alloc")).map(alloc -> alloc.getSubcommands().get("exec"))
                .ifPresent(exec -> exec.setStopAtPositional(true));
        return cli;
    }

    /** @return the variables commands read */
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
