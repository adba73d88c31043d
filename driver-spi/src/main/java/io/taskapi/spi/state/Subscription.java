package io.taskapi.spi.state;

/** A registration that ends when closed. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    /** Stops the notifications. Safe to call more than once. */
    @Override
    void close();
}
