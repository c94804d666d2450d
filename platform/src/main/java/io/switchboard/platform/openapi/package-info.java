/**
 * The API contract: each service's {@code openapi.json} fragment ({@link
 * io.switchboard.platform.openapi.OpenApiFragment}) merged at start-up into the document served at
 * {@code /openapi} ({@link io.switchboard.platform.openapi.OpenApiDocument}), and {@code /docs}, the
 * Swagger UI view of it served from the classpath ({@link
 * io.switchboard.platform.openapi.DocsRoutes}). Everything here runs once at start-up; requests only
 * get bytes prepared then, on the event loop.
 */
package io.switchboard.platform.openapi;
