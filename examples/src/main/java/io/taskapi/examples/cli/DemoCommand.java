package io.taskapi.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code taskapi demo}: see {@link Demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Start a dev agent with ACLs, run the Task API example job, find the node it"
        + " tagged, and stop cleanly, printing each step.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "-job", paramLabel = "FILE", description = "The job file (default: " + Demo.JOB_FILE
            + " under $TASKAPI_HOME or the current directory).")
    Path job;

    @Option(names = "-port", paramLabel = "PORT", defaultValue = "4646",
            description = "The agent's port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() {
        Map<String, String> env = ((TaskapiCommand) spec.root().userObject()).environment();
        Path file = job != null ? job : defaultJobFile(env);
        try {
            return new Demo(spec.commandLine().getOut(), env).run(file, port).exitCode();
        } catch (IOException e) {
            spec.commandLine().getErr().println("Error: " + e.getMessage());
            return 1;
        }
    }

    private static Path defaultJobFile(Map<String, String> env) {
        String home = env.get("TASKAPI_HOME");
        if (home != null && Files.isRegularFile(Path.of(home, Demo.JOB_FILE))) {
            return Path.of(home, Demo.JOB_FILE);
        }
        Path here = Path.of(Demo.JOB_FILE);
        if (Files.isRegularFile(here)) {
            return here;
        }
        return Path.of("jobs", "taskapi-example.hcl"); // from inside examples/
    }
}
