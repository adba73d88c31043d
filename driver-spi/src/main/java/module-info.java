/**
 * The contracts between a node agent, its task drivers and the Task API plugin.
 *
 * <p>This module depends on the JDK only. An agent finds the plugin with
 * {@code ServiceLoader.load(TaskApiProvider.class)} and drivers with
 * {@code ServiceLoader.load(TaskDriver.class)}. A driver author needs eight types of {@code io.taskapi.spi.driver}
 * (and reads its {@code TaskRef}); an agent author uses {@code io.taskapi.spi}, the socket-provisioning types of
 * {@code io.taskapi.spi.driver}, {@code io.taskapi.spi.state} and {@code io.taskapi.spi.api}. The packages form no
 * cycle: {@code io.taskapi.spi} depends on the other three, and they on none of it.
 */
module io.taskapi.spi {
    exports io.taskapi.spi;
    exports io.taskapi.spi.api;
    exports io.taskapi.spi.driver;
    exports io.taskapi.spi.state;

    uses io.taskapi.spi.TaskApiProvider;
    uses io.taskapi.spi.driver.TaskDriver;
}
