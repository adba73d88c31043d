package io.taskapi.examples.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A java-driver task for tests: writes its pid to {@code pid} in its working directory (the task directory), runs
 * until a file {@code exit} appears there, then exits with the number in it.
 */
public final class ExitWhenTold {
    private ExitWhenTold() {}

    /**
     * @param args none
     * @throws IOException when its files cannot be read or written
     * @throws InterruptedException never, in practice
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Files.writeString(Path.of("pid"), Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
        Path exit = Path.of("exit");
        while (!Files.exists(exit)) {
            Thread.sleep(100);
        }
        System.exit(Integer.parseInt(Files.readString(exit, StandardCharsets.US_ASCII).trim()));
    }
}
