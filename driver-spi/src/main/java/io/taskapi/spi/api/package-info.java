/**
 * Routes an agent adds to the Task API (its jobs and allocations, say). The plugin serves them on every listener
 * behind the same authentication, authorization, limits, errors and audit as its own routes; an agent route only
 * sees callers that passed all of that.
 */
package io.taskapi.spi.api;
