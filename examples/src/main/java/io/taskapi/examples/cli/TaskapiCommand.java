package io.taskapi.examples.cli;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code taskapi}: the root command. It carries the process environment ({@code NOMAD_ADDR}, {@code NOMAD_TOKEN}…)
 * as a map, so that an in-process run (the demo, a test) can give commands an environment of its own.
 */
@Command(name = "taskapi", mixinStandardHelpOptions = true, version = "taskapi 0.1.0",
        description = "Run a Task API agent and talk to it, the way Nomad's CLI does.",
        subcommands = {AgentCommand.class, JobCommands.class, AllocCommands.class, NodeCommands.class,
            AclCommands.class, VarCommands.class, DemoCommand.class})
public final class TaskapiCommand implements Runnable {
    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    /** @param environment the variables commands read ({@code NOMAD_ADDR}, {@code NOMAD_TOKEN}, …) */
    public TaskapiCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
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
