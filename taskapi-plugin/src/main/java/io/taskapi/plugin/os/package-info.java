/** The operating system as the plugin sees it: one place for what the JDK does not say about this process. */
package io.taskapi.plugin.os;
