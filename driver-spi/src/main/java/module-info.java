/**
 * The contracts between a node agent, its task drivers and the Task API plugin.
 *
 * <p>This module depends on the JDK only. An agent finds the plugin with
 * {@code ServiceLoader.load(TaskApiProvider.class)} and drivers with
 * {@code ServiceLoader.load(TaskDriver.class)}. A driver author needs {@code io.taskapi.spi.driver} (and reads
 * {@code io.taskapi.spi.TaskRef}); an agent author uses {@code io.taskapi.spi}, {@code io.taskapi.spi.socket},
 * {@code io.taskapi.spi.state} and {@code io.taskapi.spi.api}.
 */
module io.taskapi.spi {
    exports io.taskapi.spi;
    exports io.taskapi.spi.api;
    exports io.taskapi.spi.driver;
    exports io.taskapi.spi.socket;
    exports io.taskapi.spi.state;

    uses io.taskapi.spi.TaskApiProvider;
    uses io.taskapi.spi.driver.TaskDriver;
}
