/**
 * Starting an instance ({@code Switchboard}): one Vert.x, one metrics registry, the platform and
 * the given services, and the graceful stop. The commands ({@code serve}, {@code mock}, {@code
 * train}) start through it; it sits apart from {@code Main}, which lists the commands, so that
 * they do not reach back up into the package that names them.
 */
package io.switchboard.app.start;
