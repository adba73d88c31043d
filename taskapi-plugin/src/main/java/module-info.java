/**
 * The Task API plugin. It exports nothing: agents reach it only through the SPI, as a {@link
 * io.taskapi.spi.TaskApiProvider} found by {@link java.util.ServiceLoader}.
 *
 * <p>Every package is open to Guice (it constructs and injects the plugin's classes) and to Jackson (it reads and
 * writes the API's bodies), and to nothing else. On the module path the plugin also needs {@code --add-exports
 * org.eclipse.jetty.server/org.eclipse.jetty.server.internal=io.taskapi.plugin}: the request-head deadline reads
 * Jetty's {@code HttpConnection}, which Jetty does not export.
 */
// Guice 7 is an automatic module; its name is stable (Automatic-Module-Name: com.google.guice in its manifest).
@SuppressWarnings("requires-automatic")
module io.taskapi.plugin {
    requires io.taskapi.spi;
    requires io.taskapi.bexpr;
    requires io.taskapi.hcl;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.google.common;
    requires com.google.guice;
    requires jakarta.inject;
    requires java.management;
    requires java.net.http;
    requires java.sql;
    requires jdk.security.auth;
    requires org.bouncycastle.provider;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.util;
    requires org.eclipse.jetty.websocket.server;
    requires org.newsclub.net.unix;
    requires org.slf4j;
    requires org.xerial.sqlitejdbc;

    provides io.taskapi.spi.TaskApiProvider with io.taskapi.plugin.TaskApiPlugin;

    // Every package, a new one included (ModulePathTest fails on a package Guice cannot reach).
    opens io.taskapi.plugin to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.acl to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.api to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.api.exec to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.api.acl to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.api.node to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.api.variables to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.auth to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.auth.login to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.auth.jwt to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.auth.rejection to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.authz to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.cache to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.config to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.execution to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.http to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.lifecycle to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.limits to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.listener to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.metrics to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.node to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.os to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.socket to com.google.guice, com.fasterxml.jackson.databind;
    opens io.taskapi.plugin.state to com.google.guice, com.fasterxml.jackson.databind;
}
